"""The home page's content in Japanese, and its English translation."""

from wagtail.models import Locale

from .demo_pages import PAGES
from .models import BoardPage, HomePage, StandardPage

ORDER = 50

CONTENT = {
    "ja": {
        "title": "特別区 関係人口・シビックテック",
        "hero_title": "区を越えて、あなたのスキルを地域へ",
        "hero_lead": (
            "商店街・中小企業・NPOの「手が足りない」と、23区に暮らし働く人の"
            "「スキルで役に立ちたい」をつなぎます。転職なし、在宅からでも参加できます。"
        ),
        "hero_links": [
            ("スキルを登録する（無料）", "/accounts/signup/"),
            ("ログイン", "/accounts/login/"),
        ],
        "features_heading": "できること",
        "features": [
            (
                "区を越えた協力",
                "住んでいる区に関係なく、23区どこの団体の募集にも応募できます。"
                "在宅・オンラインで完結する募集もあります。",
            ),
            (
                "転職なき地域貢献",
                "Web制作、SNS運用、会計、翻訳など、仕事で培ったスキルを"
                "週に数時間から地域のために活かせます。",
            ),
            (
                "シビックテック・チャレンジ",
                "区が公開するオープンデータを使って、放置自転車対策や"
                "子育て情報の一元化などの地域課題を解決するアプリを作るコンテストです。",
            ),
            (
                "安心して使える",
                "連絡先はマッチングが成立するまで公開されません。"
                "多要素認証でアカウントを守れます。",
            ),
        ],
        "cta_heading": "団体の方へ",
        "cta_text": "商店街・中小企業・NPOの方は、団体を登録して協力者を募集できます。"
        "区の確認後に募集が公開されます。",
        "cta_links": [("アカウントを作成する", "/accounts/signup/")],
    },
    "en": {
        "title": "Tokyo Special Wards Skills Board",
        "hero_title": "Bring your skills to the neighbourhood, across ward borders",
        "hero_lead": (
            "We connect shopping streets, small businesses and NPOs that need a hand with "
            "people who live or work in Tokyo's 23 wards and want to help with their skills. "
            "No job change needed; many tasks can be done from home."
        ),
        "hero_links": [
            ("Register your skills (free)", "/en/accounts/signup/"),
            ("Log in", "/en/accounts/login/"),
        ],
        "features_heading": "What you can do",
        "features": [
            (
                "Help across ward borders",
                "Apply to tasks from organizations in any of the 23 "
                "wards, wherever you live. Many can be done remotely.",
            ),
            (
                "Contribute without changing jobs",
                "Web design, social media, accounting, "
                "translation: use your professional skills a few hours a week.",
            ),
            (
                "Civic-tech challenges",
                "Build apps with the wards' open data to solve local "
                "issues such as abandoned bicycles or scattered childcare information.",
            ),
            (
                "Safe to use",
                "Contact details stay hidden until a match is made. Protect your "
                "account with two-factor authentication.",
            ),
        ],
        "cta_heading": "For organizations",
        "cta_text": "Shopping streets, small businesses and NPOs can register and look for "
        "volunteers. Tasks go public once the ward has verified you.",
        "cta_links": [("Create an account", "/en/accounts/signup/")],
    },
}


def _links(pairs):
    return [
        {"type": "link", "value": {"label": label, "page": None, "url": url}}
        for label, url in pairs
    ]


def _apply(page: HomePage, content: dict) -> None:
    page.title = content["title"]
    page.hero_title = content["hero_title"]
    page.hero_lead = content["hero_lead"]
    page.hero_links = _links(content["hero_links"])
    page.body = [
        {
            "type": "features",
            "value": {
                "heading": content["features_heading"],
                "features": [{"heading": h, "text": t} for h, t in content["features"]],
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "heading": content["cta_heading"],
                "text": content["cta_text"],
                "links": [link["value"] for link in _links(content["cta_links"])],
            },
        },
    ]


def seed(ctx) -> None:
    home = HomePage.objects.get(locale__language_code="ja")
    if not home.body:
        _apply(home, CONTENT["ja"])
        home.save_revision().publish()

    english = Locale.objects.get(language_code="en")
    translation = home.get_translation_or_none(english)
    if translation is None:
        translation = home.copy_for_translation(english)
    translation = translation.specific
    if not translation.live or not translation.body:
        _apply(translation, CONTENT["en"])
        translation.save_revision().publish()

    _seed_board_page(home, english)
    _seed_text_pages(home, english)


def _text_body(sections):
    body = []
    for heading, text in sections:
        body.append({"type": "heading", "value": heading})
        body.append({"type": "paragraph", "value": f"<p>{text}</p>"})
    return body


def _seed_text_pages(home: HomePage, english) -> None:
    for spec in PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            page = StandardPage(
                slug=spec["slug"],
                title=spec["ja"]["title"],
                intro=spec["ja"]["intro"],
                body=_text_body(spec["ja"]["sections"]),
                show_in_menus=True,
            )
            home.add_child(instance=page)
            page.save_revision().publish()
        if page.get_translation_or_none(english) is None:
            # The parent (the English home page) exists already, so no copy_parents.
            translation = page.copy_for_translation(english).specific
            translation.title = spec["en"]["title"]
            translation.intro = spec["en"]["intro"]
            translation.body = _text_body(spec["en"]["sections"])
            translation.save_revision().publish()


def _seed_board_page(home: HomePage, english) -> None:
    board = BoardPage.objects.child_of(home).first()
    if board is None:
        board = BoardPage(
            slug="board",
            title="募集を探す",
            intro="23区の商店街・中小企業・NPOが、あなたのスキルを待っています。"
            "区・分野・在宅可などで絞り込めます。",
        )
        home.add_child(instance=board)
        board.save_revision().publish()
    if board.get_translation_or_none(english) is None:
        translation = board.copy_for_translation(english).specific
        translation.title = "Find tasks"
        translation.intro = (
            "Shopping streets, small businesses and NPOs in the 23 wards need your skills. "
            "Filter by ward, field, remote work and more."
        )
        translation.save_revision().publish()
