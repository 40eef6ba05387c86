"""Demo data: the founding declaration and the code-of-conduct pledge, open for signing, with a few signatures."""

from django.contrib.auth.models import User

from ..enums import Category, ParticipantStatus
from ..extensions import demo_seeder
from ..models import SigningMethod
from . import pins, services

FOUNDING = {
    "slug": "tuyen-bo-thanh-lap",
    "title_vi": "Tuyên bố thành lập Liên minh KOL Việt Nam",
    "title_en": "Founding Declaration of the Vietnam KOL Alliance",
    "body_vi": (
        "Chúng tôi, những người sáng tạo nội dung, người có ảnh hưởng trên không gian mạng (KOL/KOC) của Việt Nam, "
        "cùng các cơ quan quản lý, doanh nghiệp và nền tảng số đồng hành, "
        "nhất trí thành lập Liên minh KOL Việt Nam.\n\n"
        "Chúng tôi nhận thức rằng mỗi lời nói, hình ảnh và đường dẫn chúng tôi chia sẻ đến được với hàng triệu người. "
        "Vì vậy, chúng tôi cam kết:\n\n"
        "1. Kiểm chứng thông tin trước khi chia sẻ, không tạo ra và không lan truyền tin giả, tin sai sự thật.\n"
        "2. Lan tỏa kỹ năng an toàn số: nhận diện lừa đảo trực tuyến, bảo vệ dữ liệu cá nhân, ứng xử văn minh "
        "trên mạng.\n"
        "3. Minh bạch với người theo dõi về hợp tác quảng cáo và nội dung được tài trợ.\n"
        "4. Tôn trọng pháp luật Việt Nam, quyền riêng tư và phẩm giá của mỗi con người.\n"
        "5. Xây dựng và tự nguyện tuân thủ bộ quy tắc, tiêu chuẩn cộng đồng của Liên minh.\n\n"
        "Liên minh là diễn đàn mở, tự nguyện, cùng nhau vì một không gian mạng lành mạnh, an toàn và đáng tin cậy."
    ),
    "body_en": (
        "We, content creators and people of influence in Vietnam's online space (KOLs/KOCs), together with the "
        "regulators, businesses and digital platforms who stand with us, agree to found the Vietnam KOL Alliance.\n\n"
        "We know that every word, image and link we share reaches millions of people. We therefore commit:\n\n"
        "1. To check information before sharing it, and never to create or spread false or misleading news.\n"
        "2. To spread digital-safety skills: recognizing online scams, protecting personal data, behaving with "
        "civility online.\n"
        "3. To be transparent with our audiences about advertising partnerships and sponsored content.\n"
        "4. To respect the law of Vietnam, the privacy and the dignity of every person.\n"
        "5. To build, and voluntarily follow, the Alliance's own rules and community standards.\n\n"
        "The Alliance is an open, voluntary forum, working together for a healthy, safe and trustworthy online space."
    ),
}

PLEDGE = {
    "slug": "cam-ket-quy-tac-ung-xu",
    "title_vi": "Cam kết thực hiện Bộ quy tắc ứng xử",
    "title_en": "Code of Conduct Pledge",
    "body_vi": (
        "Trong khuôn khổ Chương trình hành động của Liên minh KOL Việt Nam, tôi cam kết:\n\n"
        "- Ghi rõ nội dung quảng cáo, tài trợ; không quảng cáo sản phẩm, dịch vụ tôi chưa tìm hiểu kỹ.\n"
        "- Không đăng tải nội dung xúc phạm, kích động, phân biệt đối xử hay xâm phạm quyền riêng tư.\n"
        "- Đính chính công khai và kịp thời khi tôi chia sẻ thông tin chưa chính xác.\n"
        "- Hợp tác với nền tảng và cơ quan chức năng khi phát hiện lừa đảo, tin giả.\n"
        "- Hướng dẫn người theo dõi, nhất là trẻ em và người cao tuổi, cách tự bảo vệ trên mạng."
    ),
    "body_en": (
        "Within the action programme of the Vietnam KOL Alliance, I pledge:\n\n"
        "- To label advertising and sponsorship clearly, and not to promote products or services I have not "
        "looked into carefully.\n"
        "- Not to publish content that insults, incites, discriminates or invades privacy.\n"
        "- To correct publicly and promptly any inaccurate information I have shared.\n"
        "- To cooperate with platforms and the authorities when I come across scams or fake news.\n"
        "- To show my audience, children and older people above all, how to protect themselves online."
    ),
}

# The pledge is personal: KOLs sign it; regulators witness it.
PLEDGE_RULES = {Category.KOL: "founding_member", Category.REGULATOR: "witness"}


def _declaration(event, text, rules=None):
    declaration = services.create_declaration(
        event=event, slug=text["slug"], title_vi=text["title_vi"], title_en=text["title_en"], rules=rules
    )
    services.publish_version(
        declaration=declaration,
        **{key: text[key] for key in ("title_vi", "title_en", "body_vi", "body_en")},
    )
    return services.open_declaration(declaration=declaration)


@demo_seeder(order=70)
def seed_declarations(event):
    founding = _declaration(event, FOUNDING)
    pledge = _declaration(event, PLEDGE, PLEDGE_RULES)
    approved = event.participants.filter(status=ParticipantStatus.APPROVED).order_by("pk")
    online = services.Signing(ip_address="203.0.113.10", user_agent="Mozilla/5.0 (demo phone)")
    signers = [*approved.filter(category=Category.KOL)[:8], *approved.filter(category=Category.REGULATOR)[:2]]
    signers += [
        person
        for category in (Category.BUSINESS, Category.PLATFORM)
        for person in approved.filter(category=category)[:1]
    ]
    for index, participant in enumerate(signers):
        services.sign_declaration(
            declaration=founding,
            participant=participant,
            typed_name=participant.full_name,
            consent=True,
            public=index % 5 != 4,
            signing=online,
        )
    staff = User.objects.filter(username="soatve").first()
    at_kiosk = services.Signing(method=SigningMethod.KIOSK, kiosk="Bàn ký 1", staff=staff, ip_address="10.0.0.21")
    for participant in approved.filter(category=Category.KOL)[:3]:
        services.sign_declaration(
            declaration=pledge,
            participant=participant,
            pin=pins.signing_pin(participant),
            consent=True,
            public=True,
            signing=at_kiosk,
        )
