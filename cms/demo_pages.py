"""Demo text pages (guide, terms, privacy) in Japanese and English, used by cms.demo."""

PAGES = [
    {
        "slug": "guide",
        "ja": {
            "title": "はじめての方へ",
            "intro": "登録から協力、完了までの流れを説明します。パソコンがなくても、スマートフォンだけで参加できます。",
            "sections": [
                (
                    "1. 登録する",
                    "メールアドレスとパスワードで登録し、届いたメールのリンクを開いて確認します。"
                    "不安な方は、区役所のデジタル活用支援員が登録をお手伝いします。",
                ),
                (
                    "2. スキルを登録する",
                    "マイページで、得意なこと（Web制作、SNS運用、会計など）と、"
                    "協力できる時間（週に何時間か、平日夜・週末など）を登録します。"
                    "団体に見つけてもらうかどうかは、あなたが選べます。",
                ),
                (
                    "3. 募集に応募する",
                    "区を問わず、商店街・中小企業・NPOの募集を探して、メッセージを添えて応募します。"
                    "在宅でできる募集も多くあります。",
                ),
                (
                    "4. マッチングと協力",
                    "団体が承認するとマッチング成立です。連絡先はこの時点で初めて相手に表示されます。",
                ),
                (
                    "5. 完了と振り返り",
                    "作業が終わったら双方で完了を確認し、活動時間を記録して、お互いに評価します。"
                    "活動証明書をダウンロードできます。",
                ),
            ],
        },
        "en": {
            "title": "Getting started",
            "intro": "How it works, from signing up to finishing a task. A smartphone is all you need.",
            "sections": [
                (
                    "1. Sign up",
                    "Sign up with your e-mail address and a password, then open the link in the "
                    "e-mail we send you. Your ward office's digital support volunteers can help.",
                ),
                (
                    "2. Add your skills",
                    "On My page, list what you are good at (web design, social media, "
                    "accounting…) and when you can help. You choose whether organizations can find you.",
                ),
                (
                    "3. Apply to a task",
                    "Find tasks from shopping streets, small businesses and NPOs in any "
                    "ward and apply with a short message. Many can be done from home.",
                ),
                (
                    "4. Match and work together",
                    "When the organization accepts, the match is made. Only "
                    "then do both sides see each other's contact details.",
                ),
                (
                    "5. Finish and review",
                    "When the work is done, both sides confirm, log the hours and "
                    "review each other. You can download a certificate of your hours.",
                ),
            ],
        },
    },
    {
        "slug": "terms",
        "ja": {
            "title": "利用規約",
            "intro": "このサイトを利用するすべての方に適用されるルールです。",
            "sections": [
                (
                    "第1条（目的）",
                    "本サービスは、東京都特別区（23区）の中小企業・商店街・NPO等と、"
                    "スキルを持つ個人とをつなぎ、地域課題の解決を支援することを目的とします。",
                ),
                (
                    "第2条（登録）",
                    "利用者は、正確な情報で登録し、自分のアカウントを適切に管理するものとします。"
                    "多要素認証の利用を推奨します。",
                ),
                (
                    "第3条（プロボノ活動）",
                    "本サービスでのマッチングは無償の協力（プロボノ）を前提とします。"
                    "活動内容・期間は団体と利用者の合意によって決まります。",
                ),
                (
                    "第4条（禁止事項）",
                    "法令違反、他人へのなりすまし、営業・勧誘目的の利用、"
                    "マッチング前の連絡先の無断収集、その他運営者が不適切と判断する行為を禁止します。",
                ),
                (
                    "第5条（通報と対応）",
                    "不適切な募集・団体・プロフィールを見つけた場合は通報してください。"
                    "運営者は確認のうえ、公開停止等の措置をとることがあります。",
                ),
                (
                    "第6条（退会）",
                    "利用者はいつでも退会できます。利用規約への同意の撤回は退会を意味します。",
                ),
            ],
        },
        "en": {
            "title": "Terms of use",
            "intro": "The rules that apply to everyone who uses this site.",
            "sections": [
                (
                    "1. Purpose",
                    "The service connects small businesses, shopping streets and NPOs in Tokyo's "
                    "23 special wards with skilled individuals, to help solve local issues.",
                ),
                (
                    "2. Registration",
                    "Register with accurate information and keep your account safe. We "
                    "recommend two-factor authentication.",
                ),
                (
                    "3. Pro bono work",
                    "Matches made here are unpaid (pro bono). What is done and for how long "
                    "is agreed between the organization and the volunteer.",
                ),
                (
                    "4. Prohibited",
                    "Breaking the law, impersonation, sales or solicitation, collecting contact "
                    "details before a match, and anything else the operator finds inappropriate.",
                ),
                (
                    "5. Reports",
                    "Report tasks, organizations or profiles that seem inappropriate. The operator "
                    "reviews them and may unpublish them.",
                ),
                (
                    "6. Leaving",
                    "You can close your account at any time. Withdrawing consent to these terms "
                    "means closing your account.",
                ),
            ],
        },
    },
    {
        "slug": "privacy",
        "ja": {
            "title": "プライバシーポリシー",
            "intro": "あなたの情報は、あなたが同意した目的にだけ使います。同意はマイページでいつでも確認・撤回できます。",
            "sections": [
                (
                    "集める情報",
                    "メールアドレス、表示名、言語、スキルプロフィール、応募・メッセージ・活動時間の記録。",
                ),
                (
                    "使う目的",
                    "本人確認、マッチング、通知、不正利用の防止。これ以外の目的（団体への公開、"
                    "おすすめのメール、統計への利用）は、あなたが同意した場合に限ります。",
                ),
                ("連絡先の扱い", "連絡先は、マッチングが成立した相手にだけ表示されます。"),
                (
                    "統計・オープンデータ",
                    "区の統計やオープンデータとして公開するのは、匿名化・集計した数値だけです。"
                    "少人数で個人が特定されうる値は公開しません。",
                ),
                ("安全管理", "通信はすべて暗号化し、多要素認証を利用できます。"),
                (
                    "お問い合わせ",
                    "個人情報の開示・訂正・削除のご請求は、お住まいの区役所の窓口で受け付けます。",
                ),
            ],
        },
        "en": {
            "title": "Privacy policy",
            "intro": "We use your information only for what you agreed to. See and withdraw your consents on My page at any time.",
            "sections": [
                (
                    "What we collect",
                    "Your e-mail address, display name, language, skills profile, and records "
                    "of applications, messages and hours.",
                ),
                (
                    "What we use it for",
                    "Verifying you, matching, notifications and preventing abuse. Anything "
                    "else (showing your profile to organizations, recommendation e-mails, statistics) only with "
                    "your consent.",
                ),
                ("Contact details", "Shown only to the other side of a match."),
                (
                    "Statistics and open data",
                    "Only anonymised, aggregated figures are published; figures "
                    "small enough to identify someone are suppressed.",
                ),
                (
                    "Security",
                    "All traffic is encrypted, and two-factor authentication is available.",
                ),
                ("Contact", "Ask your ward office to see, correct or delete your personal data."),
            ],
        },
    },
]
