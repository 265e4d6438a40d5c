"""Routes of the ledger pages, included under /ledger/ with the namespace `ledgers`."""

from django.urls import path

from ledgers import urls_exports, urls_imports
from ledgers.views import printing

app_name = "ledgers"

urlpatterns = [
    path("households/<int:pk>/print/", printing.household_booklet, name="household_print"),
    path("households/<int:pk>/card/", printing.household_card, name="household_card"),
    path("villages/<int:pk>/print/", printing.village_booklets, name="village_print"),
    path("villages/<int:pk>/cards/", printing.village_cards, name="village_cards"),
]
urlpatterns += urls_exports.urlpatterns + urls_imports.urlpatterns
