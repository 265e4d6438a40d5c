"""A household's land, housing and living conditions (家庭基本情况), as its ledger prints them."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.scoping import ScopedQuerySet
from households.choices import Fuel, HousingGrade, RoadType
from households.models.household import Household

NOT_NEGATIVE = [MinValueValidator(Decimal("0"), "不能为负数")]
# Land in 亩 and the house in m²: each of these is either unknown or not negative.
AREA_FIELDS = {
    "cultivated_land": "耕地面积（亩）",
    "irrigated_land": "有效灌溉面积（亩）",
    "forest_land": "林地面积（亩）",
    "returned_farmland": "退耕还林面积（亩）",
    "orchard_land": "林果面积（亩）",
    "grassland": "牧草地面积（亩）",
    "water_surface": "水面面积（亩）",
    "housing_area": "住房面积（平方米）",
}


def _area(label: str) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=8, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE
    )


def _not_negative(name: str, label: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
        name=f"profile_{name}_gte_0",
        violation_error_message=f"{label.split('（')[0]}不能为负数",
    )


class HouseholdProfile(models.Model):
    """A household's land, housing and living conditions, as the ledger's 家庭基本情况 prints
    them."""

    household = models.OneToOneField(
        Household, models.CASCADE, related_name="profile", verbose_name="贫困户"
    )
    cultivated_land = _area(AREA_FIELDS["cultivated_land"])
    irrigated_land = _area(AREA_FIELDS["irrigated_land"])
    forest_land = _area(AREA_FIELDS["forest_land"])
    returned_farmland = _area(AREA_FIELDS["returned_farmland"])
    orchard_land = _area(AREA_FIELDS["orchard_land"])
    grassland = _area(AREA_FIELDS["grassland"])
    water_surface = _area(AREA_FIELDS["water_surface"])
    housing_area = _area(AREA_FIELDS["housing_area"])
    housing_grade = models.CharField(
        "危房等级", max_length=1, choices=HousingGrade.choices, blank=True
    )
    # None: not yet surveyed, which the ledger prints as a blank rather than 否.
    has_safe_water = models.BooleanField("饮水安全", null=True, blank=True)
    has_electricity = models.BooleanField("通生活用电", null=True, blank=True)
    has_tv = models.BooleanField("通广播电视", null=True, blank=True)
    has_sanitary_toilet = models.BooleanField("卫生厕所", null=True, blank=True)
    road_type = models.CharField("入户路类型", max_length=20, choices=RoadType.choices, blank=True)
    main_fuel = models.CharField("主要燃料", max_length=20, choices=Fuel.choices, blank=True)
    is_military_family = models.BooleanField("军烈属", default=False)
    is_single_child = models.BooleanField("独生子女户", default=False)
    is_two_daughters = models.BooleanField("双女户", default=False)
    is_relocated = models.BooleanField("易地搬迁户", default=False)
    relocation_mode = models.CharField("安置方式", max_length=100, blank=True)
    joined_cooperative = models.BooleanField("加入农民专业合作社", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭基本情况"
        verbose_name_plural = "家庭基本情况"
        constraints = [_not_negative(name, label) for name, label in AREA_FIELDS.items()]

    def __str__(self) -> str:
        return f"{self.household}家庭基本情况"

    def get_absolute_url(self) -> str:
        return reverse("admin:households_household_change", args=[self.household_id])

    @property
    def is_dangerous_house(self) -> bool:
        """A C or D grade house: not 住房安全 until it is rebuilt or the family moves."""
        return self.housing_grade in (HousingGrade.C, HousingGrade.D)
