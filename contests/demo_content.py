"""The demo contests' texts, as the wards would write them (contests.demo seeds them).

Times are given as (days from the day seed_demo runs, hour, minute) in Japan time, so
whenever the demo is seeded there is a contest in every state. The 江東区 contest is the
main one: entry is open, three teams have entered and are revising their submissions.
"""

from .models import Connection, EligibilityArea, Licence

CATALOG = ("東京都オープンデータカタログサイト", "https://catalog.data.metro.tokyo.lg.jp")

# (slug, name, English name)
THEMES = [
    ("bicycles", "放置自転車対策", "Abandoned bicycles"),
    ("childcare", "子育て情報の一元化", "Childcare information in one place"),
    ("barrier-free", "バリアフリーマップ", "Barrier-free map"),
    ("disaster-prevention", "防災", "Disaster preparedness"),
    ("tourism", "観光", "Tourism"),
]

CC_BY = {
    "licence_id": "CC-BY-4.0",
    "licence_title": "クリエイティブ・コモンズ 表示 4.0 国際",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/deed.ja",
}

# The CKAN packages, as the catalog publishes them: name (= package id on this
# catalog), title, publisher, its CKAN organization, notes, tags, days since the
# catalog last changed it, and its resources (name, format, file, size in bytes).
DATASETS = [
    {
        "name": "t131083d0000000045",
        "title": "江東区 自転車駐車場一覧",
        "publisher": "江東区",
        "publisher_name": "t131083",
        "notes": (
            "区内の区営自転車駐車場（駐輪場）の名称、所在地、緯度・経度、収容台数、"
            "利用料金、利用時間の一覧です。毎年4月1日と10月1日現在の情報に更新します。"
        ),
        "tags": ["自転車", "駐輪場", "交通"],
        "modified_days_ago": 62,
        "resources": [
            ("自転車駐車場一覧（令和8年10月1日現在）", "CSV", "churinjo_list.csv", 18_432),
        ],
    },
    {
        "name": "t131083d0000000052",
        "title": "江東区 公衆トイレ・バリアフリー設備一覧",
        "publisher": "江東区",
        "publisher_name": "t131083",
        "notes": (
            "区内の公衆トイレと区の施設のトイレについて、所在地、緯度・経度、利用時間、"
            "車いす対応、オストメイト対応、ベビーベッドの有無をまとめたデータです。"
        ),
        "tags": ["トイレ", "バリアフリー", "福祉"],
        "modified_days_ago": 35,
        "resources": [
            ("公衆トイレ・バリアフリー設備一覧", "CSV", "toilet_barrierfree.csv", 41_873),
            (
                "公衆トイレ・バリアフリー設備一覧（JSON形式）",
                "JSON",
                "toilet_barrierfree.json",
                96_210,
            ),
        ],
    },
    {
        "name": "t131211d0000000018",
        "title": "足立区 保育施設一覧",
        "publisher": "足立区",
        "publisher_name": "t131211",
        "notes": (
            "区内の認可保育所、認定こども園、小規模保育事業所の名称、所在地、定員、"
            "対象年齢、延長保育の有無の一覧です。"
        ),
        "tags": ["子育て", "保育園"],
        "modified_days_ago": 20,
        "resources": [("保育施設一覧", "CSV", "hoiku_shisetsu.csv", 52_004)],
    },
    {
        "name": "t131237d0000000007",
        "title": "江戸川区 避難所・避難場所一覧",
        "publisher": "江戸川区",
        "publisher_name": "t131237",
        "notes": (
            "指定避難所と指定緊急避難場所の名称、所在地、緯度・経度、収容人数、"
            "対応する災害の種別（洪水・高潮・地震・大規模火災）の一覧です。"
        ),
        "tags": ["防災", "避難所", "水害"],
        "modified_days_ago": 120,
        "resources": [
            ("避難所・避難場所一覧", "CSV", "hinanjo.csv", 33_120),
            ("避難所・避難場所（GeoJSON）", "GeoJSON", "hinanjo.geojson", 128_456),
        ],
    },
    {
        "name": "t131091d0000000033",
        "title": "品川区 観光スポット一覧",
        "publisher": "品川区",
        "publisher_name": "t131091",
        "notes": "旧東海道品川宿をはじめとする区内の観光スポットの名称、所在地、紹介文の一覧です。",
        "tags": ["観光", "文化財"],
        "modified_days_ago": 300,
        "resources": [("観光スポット一覧", "CSV", "kanko_spot.csv", 24_771)],
    },
    {
        "name": "t131067d0000000012",
        "title": "台東区 観光案内所・公衆無線LAN一覧",
        "publisher": "台東区",
        "publisher_name": "t131067",
        "notes": "区内の観光案内所と、区が提供する公衆無線LANのアクセスポイントの一覧です。",
        "tags": ["観光", "Wi-Fi", "多言語"],
        "modified_days_ago": 75,
        "resources": [("観光案内所・公衆無線LAN一覧", "CSV", "annaijo_wifi.csv", 9_880)],
    },
]

# Demo people who enter contests (besides accounts.demo's named residents):
# (e-mail, display name).
ENTRANTS = [
    ("haruto.ito@example.jp", "伊藤 悠真"),
    ("yui.kobayashi@example.jp", "小林 結衣"),
    ("daisuke.kato@example.jp", "加藤 大輔"),
    ("megumi.watanabe@example.jp", "渡辺 恵"),
    ("takuya.nakamura@example.jp", "中村 拓也"),
    ("naoki.ishikawa@example.jp", "石川 直樹"),
    ("rina.yamaguchi@example.jp", "山口 里奈"),
    ("koji.matsumoto@example.jp", "松本 浩二"),
]


def answers(connection: str, ward: str, student: bool = False) -> dict:
    return {"connection": connection, "ward": ward, "student": student}


LIVES, WORKS, STUDIES = Connection.LIVES, Connection.WORKS, Connection.STUDIES

KOTO_BODY = [
    ("heading", "チャレンジの趣旨"),
    (
        "paragraph",
        "<p>江東区では、区が公開するオープンデータを活用して地域の課題を解決する"
        "アイデアとアプリケーションを募集します。今回のテーマは「放置自転車対策」と"
        "「バリアフリーマップ」です。</p>"
        "<p>駅前の放置自転車は、歩行者や車いす利用者、ベビーカーの通行の妨げになっています。"
        "また、区内の公衆トイレやバリアフリー設備の情報は、区のホームページや施設ごとの"
        "案内に分かれており、必要な人に届きにくいという声をいただいています。</p>",
    ),
    ("heading", "提供するデータ"),
    (
        "paragraph",
        "<p>区が東京都オープンデータカタログサイトで公開している「自転車駐車場一覧」と"
        "「公衆トイレ・バリアフリー設備一覧」をご利用いただけます。"
        "そのほかの公開データとの組み合わせも歓迎します。</p>",
    ),
    ("heading", "入賞作品の実装支援"),
    (
        "paragraph",
        "<p>最優秀賞・優秀賞の作品は、区の担当課と協議のうえ、"
        "実証実験や区のホームページでの紹介など、実装に向けた支援を行います。</p>",
    ),
]

KOTO_RULES = (
    "<ul>"
    "<li>チームは1人から5人までです。1人が参加できるのは1チームまでです。</li>"
    "<li>作品は、提出期限まで何度でも更新できます。審査の対象は、期限の時点で保存されている版です。</li>"
    "<li>ソースコードはオープンソースライセンスで公開してください。</li>"
    "<li>個人情報を含むデータや、第三者の権利を侵害する素材は使用しないでください。</li>"
    "</ul>"
)


def _koto_submission_v1():
    return {
        "title": "駐輪ナビ江東",
        "summary": "駅前の区営駐輪場の空きと料金を地図で案内し、放置自転車を減らします。",
        "problem": (
            "豊洲駅や門前仲町駅の周辺では、駐輪場の場所が分かりにくく、"
            "短時間のつもりで歩道に自転車を止めてしまう人が多い。"
        ),
        "solution": "現在地から近い駐輪場を、料金と利用時間とともに地図に表示する。",
        "repository_url": "https://github.com/churin-navi-koto/churin-navi",
        "demo_url": "",
        "video_url": "",
        "licence": Licence.MIT,
        "is_public": True,
    }


CONTESTS = [
    {
        "slug": "koto-opendata-2027",
        "ward": "131083",
        "state": "entry_open",
        "title": "江東区 オープンデータ・チャレンジ 2027",
        "summary": (
            "区の自転車駐車場とバリアフリー設備のオープンデータを使って、"
            "放置自転車を減らすアプリや、誰もが出かけやすくなるバリアフリーマップを"
            "つくってください。学生の方の参加も歓迎します。"
        ),
        "themes": ["bicycles", "barrier-free"],
        "eligibility_area": EligibilityArea.WARDS,
        "asks_student": True,
        "eligibility": (
            "特別区（23区）内に在住・在勤・在学の方が対象です。学生賞の審査のため、"
            "エントリー時に学生かどうかをお尋ねします。"
        ),
        "rules": KOTO_RULES,
        "team_size_max": 5,
        "body": KOTO_BODY,
        "prizes": [
            ("最優秀賞", 300_000, 1),
            ("優秀賞", 100_000, 2),
            ("学生賞", 50_000, 1),
        ],
        "timeline": {
            "announced_at": (-21, 10, 0),
            "entry_opens_at": (-14, 10, 0),
            "entry_closes_at": (21, 17, 0),
            "building_starts_at": (22, 9, 0),
            "submission_deadline": (56, 23, 59),
            "screening_at": (66, 10, 0),
            "final_presentation_at": (80, 13, 0),
            "results_at": (80, 18, 0),
            "support_ends_at": (260, 17, 0),
        },
        "datasets": ["t131083d0000000045", "t131083d0000000052"],
        "teams": [
            {
                "name": "チーム駐輪ナビ",
                "leader": ("misaki.suzuki@example.jp", answers(LIVES, "131083")),
                "members": [
                    ("kenta.sato@example.jp", answers(WORKS, "131083")),
                    ("daisuke.kato@example.jp", answers(WORKS, "131083")),
                ],
                "contributors": [],
                "datasets": ["t131083d0000000045"],
                "versions": [
                    _koto_submission_v1(),
                    {
                        "demo_url": "https://churin-navi-koto.example.jp/",
                        "solution": (
                            "現在地から近い駐輪場を、料金と利用時間とともに地図に表示する。"
                            "区営駐輪場の収容台数から混雑しやすい時間帯の目安も表示し、"
                            "駅前に止める前に空いている駐輪場を選べるようにする。"
                        ),
                    },
                ],
                "messages": [
                    (
                        "misaki.suzuki@example.jp",
                        "エントリーしました！まずは豊洲駅周辺から作りましょう。",
                    ),
                    (
                        "kenta.sato@example.jp",
                        "駐輪場一覧のCSVを確認しました。緯度・経度が入っているので地図にすぐ載せられそうです。",
                    ),
                    (
                        "daisuke.kato@example.jp",
                        "デモ版を公開しました。スマホで見た感想をください。",
                    ),
                ],
            },
            {
                "name": "バリアフリー散歩部",
                "leader": ("aya.yamada@example.jp", answers(WORKS, "131083")),
                "members": [("emily.clark@example.jp", answers(WORKS, "131130"))],
                "contributors": [("佐々木 誠", "車いす利用者として現地調査に協力")],
                "datasets": ["t131083d0000000052"],
                "versions": [
                    {
                        "title": "みんなのトイレマップ江東",
                        "summary": "車いす対応・オストメイト対応・ベビーベッドのあるトイレを地図で探せます。",
                        "problem": (
                            "外出先で使えるトイレが分からないことが、車いす利用者や"
                            "小さな子ども連れの外出をためらわせている。"
                        ),
                        "solution": "設備の条件で絞り込めるトイレマップを、やさしい日本語と英語で提供する。",
                        "repository_url": "https://github.com/barrierfree-sanpo/toilet-map-koto",
                        "demo_url": "",
                        "video_url": "",
                        "licence": Licence.APACHE,
                        "is_public": True,
                    },
                    {"demo_url": "https://toilet-map-koto.example.jp/"},
                    {
                        "summary": (
                            "車いす対応・オストメイト対応・ベビーベッドのあるトイレを地図で探せます。"
                            "利用時間で「今使えるトイレ」だけを表示できます。"
                        ),
                        "video_url": "https://www.youtube.com/watch?v=demo-toilet-map",
                    },
                ],
                "messages": [],
            },
            {
                "name": "豊洲テックラボ",
                "leader": ("haruto.ito@example.jp", answers(STUDIES, "131083", student=True)),
                "members": [("yui.kobayashi@example.jp", answers(STUDIES, "131083", student=True))],
                "contributors": [("田中 先生", "指導教員")],
                "datasets": ["t131083d0000000045", "t131083d0000000052"],
                "versions": [
                    {
                        "title": "放置自転車レポーター",
                        "summary": "放置自転車の場所を写真で区に知らせ、近くの駐輪場を案内するアプリです。",
                        "problem": "放置自転車の通報は電話が中心で、場所を正確に伝えにくい。",
                        "solution": "",
                        "repository_url": "",
                        "demo_url": "",
                        "video_url": "",
                        "licence": Licence.MIT,
                        "is_public": False,
                    },
                    {
                        "solution": (
                            "位置情報つきで通報でき、同時に最寄りの駐輪場と、"
                            "バリアフリートイレなど周辺の設備も表示する。"
                        ),
                        "repository_url": "https://github.com/toyosu-techlab/houchi-reporter",
                    },
                ],
                "messages": [],
            },
        ],
        "announcement": (
            "データセットの更新のお知らせ",
            "「公衆トイレ・バリアフリー設備一覧」にJSON形式のファイルを追加しました。"
            "コンテストページのデータセット一覧からご利用ください。\n\n"
            "江東区 デジタル推進課",
        ),
    },
    {
        "slug": "taito-kanko-2027",
        "ward": "131067",
        "state": "upcoming",
        "title": "台東区 観光×バリアフリー アイデアコンテスト 2027",
        "summary": (
            "上野・浅草を訪れる誰もが安心して街歩きを楽しめるよう、観光案内所や"
            "公衆無線LANのデータを使ったアイデアとアプリを募集します。"
        ),
        "themes": ["tourism", "barrier-free"],
        "eligibility_area": EligibilityArea.ANYONE,
        "asks_student": False,
        "eligibility": "どなたでも参加できます。",
        "rules": "<ul><li>チームは1人から4人までです。</li></ul>",
        "team_size_max": 4,
        "body": [
            ("heading", "募集の内容"),
            (
                "paragraph",
                "<p>多言語対応や段差の少ないルート案内など、観光客にも区民にもやさしい"
                "街歩きのしくみを募集します。エントリーの受付開始までお待ちください。</p>",
            ),
        ],
        "prizes": [("最優秀賞", 200_000, 1), ("アイデア賞", 30_000, 3)],
        "timeline": {
            "announced_at": (-3, 10, 0),
            "entry_opens_at": (14, 10, 0),
            "entry_closes_at": (44, 17, 0),
            "submission_deadline": (75, 23, 59),
            "final_presentation_at": (95, 13, 0),
            "results_at": (95, 17, 0),
        },
        "datasets": ["t131067d0000000012"],
        "teams": [],
    },
    {
        "slug": "adachi-kosodate-app",
        "ward": "131211",
        "state": "building",
        "title": "あだち子育てアプリ・コンテスト",
        "summary": (
            "保育施設や子育て支援の情報が一か所で分かるアプリを募集します。"
            "子育て中の区民の声をもとに、必要な情報にすぐたどり着けるしくみをつくってください。"
        ),
        "themes": ["childcare"],
        "eligibility_area": EligibilityArea.WARDS,
        "asks_student": False,
        "eligibility": "特別区（23区）内に在住・在勤・在学の方が対象です。",
        "rules": "<ul><li>チームは1人から5人までです。</li></ul>",
        "team_size_max": 5,
        "body": [
            ("heading", "背景"),
            (
                "paragraph",
                "<p>保育園の空き状況、子育てひろば、予防接種の案内などの情報が、"
                "区のホームページの複数のページに分かれています。</p>",
            ),
        ],
        "prizes": [("最優秀賞", 200_000, 1), ("優秀賞", 50_000, 2)],
        "timeline": {
            "announced_at": (-50, 10, 0),
            "entry_opens_at": (-40, 10, 0),
            "entry_closes_at": (-5, 17, 0),
            "building_starts_at": (-4, 9, 0),
            "submission_deadline": (10, 23, 59),
            "screening_at": (20, 10, 0),
            "final_presentation_at": (40, 13, 0),
            "results_at": (40, 17, 0),
        },
        "datasets": ["t131211d0000000018"],
        "teams": [
            {
                "name": "子育てナビあだち",
                "leader": ("megumi.watanabe@example.jp", answers(LIVES, "131211")),
                "members": [("takuya.nakamura@example.jp", answers(LIVES, "131211"))],
                "contributors": [],
                "datasets": ["t131211d0000000018"],
                "versions": [
                    {
                        "title": "あだち子育てコンシェルジュ",
                        "summary": "子どもの年齢と住所を入れると、近くの保育施設と支援の情報をまとめて表示します。",
                        "problem": "必要な子育て情報が区のホームページのあちこちに分かれている。",
                        "solution": "保育施設一覧と子育て支援の案内を一つの画面にまとめる。",
                        "repository_url": "https://github.com/kosodate-navi-adachi/concierge",
                        "demo_url": "",
                        "video_url": "",
                        "licence": Licence.MIT,
                        "is_public": True,
                    },
                    {"demo_url": "https://adachi-concierge.example.jp/"},
                ],
                "messages": [],
            },
            {
                "name": "パパママ・ハックス",
                "leader": ("kenta.sato@example.jp", answers(WORKS, "131211")),
                "members": [],
                "contributors": [],
                "datasets": ["t131211d0000000018"],
                "versions": [
                    {
                        "title": "ほいくえん空きマップ",
                        "summary": "保育施設の場所と対象年齢を地図で比べられます。",
                        "problem": "",
                        "solution": "",
                        "repository_url": "",
                        "demo_url": "",
                        "video_url": "",
                        "licence": Licence.CC0,
                        "is_public": False,
                    },
                    {"problem": "保活の時期に、施設を一つずつ調べる手間が大きい。"},
                ],
                "messages": [],
            },
        ],
    },
    {
        "slug": "edogawa-bousai-2026",
        "ward": "131237",
        "state": "judging",
        "title": "江戸川区 防災アプリ・コンテスト 2026",
        "summary": (
            "水害に備えて、避難所・避難場所のデータを使い、"
            "区民が早めに避難できるようにするアプリを募集しました。現在、審査中です。"
        ),
        "themes": ["disaster-prevention"],
        "eligibility_area": EligibilityArea.WARD,
        "asks_student": False,
        "eligibility": "江戸川区内に在住・在勤・在学の方が対象です。",
        "rules": "<ul><li>チームは1人から5人までです。</li></ul>",
        "team_size_max": 5,
        "body": [
            ("heading", "審査について"),
            (
                "paragraph",
                "<p>一次審査を通過したチームには、最終発表会のご案内をお送りします。</p>",
            ),
        ],
        "prizes": [("最優秀賞", 300_000, 1), ("優秀賞", 100_000, 1)],
        "timeline": {
            "announced_at": (-95, 10, 0),
            "entry_opens_at": (-80, 10, 0),
            "entry_closes_at": (-40, 17, 0),
            "building_starts_at": (-39, 9, 0),
            "submission_deadline": (-10, 23, 59),
            "screening_at": (5, 10, 0),
            "final_presentation_at": (20, 13, 0),
            "results_at": (20, 17, 0),
            "support_ends_at": (200, 17, 0),
        },
        "datasets": ["t131237d0000000007"],
        "teams": [
            {
                "name": "えどがわ防災ラボ",
                "leader": ("naoki.ishikawa@example.jp", answers(LIVES, "131237")),
                "members": [("rina.yamaguchi@example.jp", answers(WORKS, "131237"))],
                "contributors": [],
                "datasets": ["t131237d0000000007"],
                "versions": [
                    {
                        "title": "避難所どこナビ",
                        "summary": "洪水・高潮のときに使える避難所を、現在地から近い順に案内します。",
                        "problem": "災害の種類によって使える避難所が違うことが知られていない。",
                        "solution": "災害の種別で避難所を絞り込み、徒歩のルートを表示する。",
                        "repository_url": "https://github.com/edogawa-bousai-lab/hinanjo-navi",
                        "demo_url": "https://hinanjo-navi.example.jp/",
                        "video_url": "",
                        "licence": Licence.MIT,
                        "is_public": True,
                    },
                    {"video_url": "https://www.youtube.com/watch?v=demo-hinanjo"},
                ],
                "messages": [],
            },
            {
                "name": "水害ハザード可視化チーム",
                "leader": ("koji.matsumoto@example.jp", answers(WORKS, "131237")),
                "members": [],
                "contributors": [],
                "datasets": ["t131237d0000000007"],
                "versions": [
                    {
                        "title": "わが家の避難タイムライン",
                        "summary": "家族構成を入れると、避難を始める目安の時刻と避難先を示します。",
                        "problem": "",
                        "solution": "",
                        "repository_url": "https://github.com/suigai-viz/timeline",
                        "demo_url": "",
                        "video_url": "",
                        "licence": Licence.GPL,
                        "is_public": False,
                    },
                    {"solution": "区の避難所データと家族の条件から、避難先の候補を三つ示す。"},
                ],
                "messages": [],
            },
        ],
    },
    {
        "slug": "shinagawa-kanko-2026",
        "ward": "131091",
        "state": "finished",
        "title": "しながわ観光データ・ハッカソン 2026",
        "summary": (
            "旧東海道品川宿の観光スポットのデータを使い、街歩きを楽しくするアプリを"
            "募集しました。たくさんのご応募ありがとうございました。"
        ),
        "themes": ["tourism"],
        "eligibility_area": EligibilityArea.WARDS,
        "asks_student": False,
        "eligibility": "特別区（23区）内に在住・在勤・在学の方が対象です。",
        "rules": "<ul><li>チームは1人から5人までです。</li></ul>",
        "team_size_max": 5,
        "body": [
            ("heading", "開催報告"),
            ("paragraph", "<p>結果発表を行いました。入賞作品は区の観光案内で紹介しています。</p>"),
        ],
        "prizes": [("最優秀賞", 200_000, 1), ("優秀賞", 50_000, 2)],
        "timeline": {
            "announced_at": (-220, 10, 0),
            "entry_opens_at": (-200, 10, 0),
            "entry_closes_at": (-150, 17, 0),
            "submission_deadline": (-120, 23, 59),
            "screening_at": (-110, 10, 0),
            "final_presentation_at": (-90, 13, 0),
            "results_at": (-90, 17, 0),
            "support_ends_at": (60, 17, 0),
        },
        "datasets": ["t131091d0000000033"],
        "teams": [
            {
                "name": "しながわ街歩きラボ",
                "leader": ("koji.matsumoto@example.jp", answers(LIVES, "131091")),
                "members": [("aya.yamada@example.jp", answers(LIVES, "131121"))],
                "contributors": [],
                "datasets": ["t131091d0000000033"],
                "versions": [
                    {
                        "title": "しながわ宿場めぐり",
                        "summary": "旧東海道品川宿の史跡を、スタンプラリー形式でめぐる街歩きアプリです。",
                        "problem": "史跡の案内板だけでは、街歩きのルートが組み立てにくい。",
                        "solution": "観光スポットのデータから、1時間・2時間のモデルコースを作る。",
                        "repository_url": "https://github.com/shinagawa-machiaruki/shukuba",
                        "demo_url": "https://shukuba-meguri.example.jp/",
                        "video_url": "",
                        "licence": Licence.MIT,
                        "is_public": True,
                    },
                    {"video_url": "https://www.youtube.com/watch?v=demo-shukuba"},
                ],
                "messages": [],
            },
            {
                "name": "Visit Shinagawa",
                "leader": ("emily.clark@example.jp", answers(WORKS, "131130")),
                "members": [],
                "contributors": [],
                "datasets": ["t131091d0000000033"],
                "versions": [
                    {
                        "title": "Visit Shinagawa（多言語観光ガイド）",
                        "summary": "品川区の観光スポットを英語・中国語・韓国語で紹介するガイドです。",
                        "problem": "外国人観光客向けの案内が少ない。",
                        "solution": "観光スポットの紹介文を多言語で表示し、地図から探せるようにする。",
                        "repository_url": "https://github.com/visit-shinagawa/guide",
                        "demo_url": "",
                        "video_url": "",
                        "licence": Licence.CC_BY,
                        "is_public": True,
                    },
                    {"demo_url": "https://visit-shinagawa.example.jp/"},
                ],
                "messages": [],
            },
        ],
    },
]

INDEX = {
    "slug": "challenge",
    "title": "シビックテック・チャレンジ",
    "intro": (
        "23区が公開するオープンデータを使って、地域の課題を解決するアプリやアイデアを"
        "募集するコンテストです。一人でも、仲間とチームを組んでも参加できます。"
        "受付中のコンテストを探して、エントリーしてください。"
    ),
}

INDEX_EN = {
    "title": "Civic-tech challenges",
    "intro": (
        "Contests for apps and ideas that solve local issues with the open data the 23 "
        "wards publish. Enter on your own or as a team: find a contest that is taking "
        "entries and join in."
    ),
}
