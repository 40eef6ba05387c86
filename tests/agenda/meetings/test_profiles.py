"""Meeting profiles: off by default, published only with the meetings consent, hidden at once when it is withdrawn;
who sees whom follows the organizers' pairs and opt-in categories; search folds accents, order is Vietnamese."""

import pytest

from events import services as event_services
from events.enums import Category, ConsentPurpose, ParticipantStatus
from events.errors import DomainError, PermissionDenied
from events.models import Consent
from sessions.meetings import profiles, rules, selectors
from sessions.models import MeetingProfile
from tests.agenda.meetings.factories import make_business, make_kol, make_member, make_rules
from tests.events.factories import make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting_rules(event):
    return make_rules(event)


def names(profiles_found):
    return [profile.participant.full_name for profile in profiles_found]


def test_profile_is_off_by_default(event, meeting_rules):
    business = make_business(event)
    make_kol(event, publish=False)

    assert selectors.directory(meeting_rules, business) == []
    assert MeetingProfile.objects.filter(published=True).count() == 1  # the business's own


def test_publishing_without_the_consent_saves_nothing(event, meeting_rules):
    kol = make_kol(event, publish=False)

    with pytest.raises(DomainError) as error:
        profiles.save_profile(
            participant=kol, bio="Review mỹ phẩm", topics="", organization="", listed=True, publish=True, consent=False
        )

    assert error.value.code == "meetings_consent_required"
    assert not MeetingProfile.objects.filter(participant=kol).exists()
    assert not Consent.objects.filter(participant=kol, purpose=ConsentPurpose.MEETINGS).exists()


def test_publishing_records_the_consent_with_its_version(event, meeting_rules):
    kol = make_kol(event)

    consent = Consent.objects.get(participant=kol, purpose=ConsentPurpose.MEETINGS)
    assert (consent.text_version, consent.withdrawn_at) == ("2026-12", None)
    assert names(selectors.directory(meeting_rules, make_business(event))) == ["Nguyễn Thị Cường"]


def test_a_pending_applicant_cannot_publish(event, meeting_rules):
    pending = make_participant(event, category=Category.KOL, status=ParticipantStatus.PENDING)

    with pytest.raises(PermissionDenied):
        profiles.save_profile(
            participant=pending, bio="", topics="", organization="", listed=True, publish=True, consent=True
        )


def test_withdrawing_the_consent_on_the_personal_page_hides_the_profile_at_once(event, meeting_rules):
    kol = make_kol(event)
    business = make_business(event)

    event_services.withdraw_consent(participant=kol, purpose=ConsentPurpose.MEETINGS)

    assert selectors.directory(meeting_rules, business) == []
    assert selectors.visible_profile(meeting_rules, business, kol.pk) is None
    assert rules.may_take_part(kol) is False


def test_hiding_the_profile_withdraws_the_consent(event, meeting_rules):
    kol = make_kol(event)

    profiles.hide_profile(participant=kol)

    assert Consent.objects.get(participant=kol, purpose=ConsentPurpose.MEETINGS).withdrawn_at is not None
    assert MeetingProfile.objects.get(participant=kol).published is False


def test_only_the_organizers_pairs_see_each_other(event, meeting_rules):
    kol = make_kol(event)
    business = make_business(event)
    platform = make_member(event, Category.PLATFORM, "Lý Quốc Hùng", organization="TikTok Việt Nam")

    assert names(selectors.directory(meeting_rules, business)) == ["Nguyễn Thị Cường"]  # business → KOL
    assert names(selectors.directory(meeting_rules, kol)) == ["Lý Quốc Hùng"]  # KOL → platform
    assert selectors.directory(meeting_rules, platform) == []  # platform → regulator only, none published


def test_a_category_listed_on_request_shows_only_those_who_ticked_it(event, meeting_rules):
    platform = make_member(event, Category.PLATFORM, "Lý Quốc Hùng")
    make_member(event, Category.REGULATOR, "Phạm Minh Tuấn", listed=False)
    make_member(event, Category.REGULATOR, "Đỗ Thị Hà", listed=True)

    assert names(selectors.directory(meeting_rules, platform)) == ["Đỗ Thị Hà"]


def test_closed_rules_show_nobody(event, meeting_rules):
    make_kol(event)
    meeting_rules.open = False
    meeting_rules.save()

    assert selectors.directory(meeting_rules, make_business(event)) == []


def test_search_ignores_accents_and_lists_in_vietnamese_order(event, meeting_rules):
    business = make_business(event)
    make_kol(event, "Nguyễn Thị Cường", organization="Cường Review")
    make_kol(event, "Trần Văn An", organization="An Vlog")
    make_kol(event, "Lê Thị Ánh", organization="Ánh Beauty")

    assert names(selectors.directory(meeting_rules, business)) == ["Trần Văn An", "Lê Thị Ánh", "Nguyễn Thị Cường"]
    assert names(selectors.directory(meeting_rules, business, query="cuong")) == ["Nguyễn Thị Cường"]
    assert names(selectors.directory(meeting_rules, business, query="ANH BEAUTY")) == ["Lê Thị Ánh"]


def test_directory_queries_stay_constant(event, meeting_rules, count_queries):
    business = make_business(event)
    make_kol(event, "Trần Văn An")

    one = count_queries(lambda: selectors.directory(meeting_rules, business))
    make_kol(event, "Lê Thị Ánh")
    make_kol(event, "Võ Hoài Nam")

    assert count_queries(lambda: selectors.directory(meeting_rules, business)) == one


def test_an_applicant_not_yet_approved_sees_nobody(event, meeting_rules):
    make_kol(event)
    pending = make_participant(event, category=Category.BUSINESS, status=ParticipantStatus.PENDING)

    assert selectors.directory(meeting_rules, pending) == []
