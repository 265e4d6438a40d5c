from tests import factories


def test_factories_build_a_household_with_head(db):
    member = factories.MemberFactory()
    assert member.household.members.count() == 1
