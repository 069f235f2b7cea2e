//! The message catalogue (文言): every text the app shows, Japanese first, English second. Messages
//! about rules (identifiers, the card, windows) come from onshi-core, already in both languages.

use onshi_core::consent::{ConsentItem, ConsentWindow};
pub use onshi_core::i18n::{Lang, Message};

/// Declares the catalogue: one variant per text, with its Japanese and English wording.
macro_rules! catalogue {
    ($($name:ident => ($ja:expr, $en:expr $(,)?),)*) => {
        /// A text of the app's own.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text { $($name,)* }

        /// The text in a language.
        pub fn t(lang: Lang, text: Text) -> &'static str {
            let (ja, en) = match text { $(Text::$name => ($ja, $en),)* };
            match lang {
                Lang::Ja => ja,
                Lang::En => en,
            }
        }
    };
}

catalogue! {
    // The shell.
    AppName => ("onshi", "onshi"),
    SwitchLanguage => ("English", "日本語"),
    SizesLabel => ("文字の大きさ", "Text size"),
    SizeSmall => ("小", "S"),
    SizeMedium => ("中", "M"),
    SizeLarge => ("大", "L"),
    SkipToContent => ("本文へ移動", "Skip to content"),
    Loading => ("読み込んでいます…", "Loading…"),
    NotFoundTitle => ("ページが見つかりません", "Page not found"),
    HomeTitle => ("オンライン資格確認 onshi", "onshi — online eligibility checks"),
    HomeIntro => (
        "訪問診療・訪問看護、オンライン診療、資格確認限定型の施術所などで、マイナ保険証による資格確認と同意取得を行います。",
        "Eligibility checks and consent with the My Number health insurance card for home visits, online consultations and qualification-limited facilities.",
    ),
    HomePatient => ("同意の確認・取り消し（患者さん）", "My consents (patients)"),
    HomeConsole => ("スタッフ画面（訪問・一括照会）", "Staff console (visits, batch inquiry)"),
    HomeLimited => ("資格確認（限定型：施術所・健診・助産所）", "Qualification check (limited facilities)"),
    HomeIds => ("識別番号チェッカー", "Identifier checker"),
    HomePatientNote => (
        "同意の手続きは、医療機関から案内されたURLまたはQRコードから始めてください。",
        "To give consent, open the URL or QR code your care provider gave you.",
    ),

    // The identifier checker.
    CheckerTitle => ("識別番号チェッカー", "Identifier checker"),
    CheckerIntro => (
        "保険者番号・記号番号・公費番号・医療機関等コードを入力すると、正しい形式かどうかとその理由をすぐに表示します。入力内容は送信されず、この画面の中だけで確認します。",
        "Type an insurer number, card symbol or number, public-expense number or institution code to see at once whether it is valid and why not. Nothing is sent anywhere: the check runs in this page.",
    ),
    KindLabel => ("番号の種類", "Kind of number"),
    ValueLabel => ("番号", "Number"),
    ValuePlaceholder => ("例: 01130012", "e.g. 01130012"),
    Valid => ("有効な番号です", "Valid"),
    Invalid => ("この番号は使えません", "Not valid"),
    Canonical => ("正規化した値", "Canonical form"),
    Warning => ("確認してください", "Please check"),
    EmptyPrompt => ("番号を入力してください", "Enter a number"),
    PersonalNote => (
        "記号・番号・枝番・受給者番号は個人情報です。画面共有や記録に注意してください。",
        "Symbols, numbers, branch and beneficiary numbers are personal data: take care when sharing the screen.",
    ),

    // The consent flow.
    UrlUnavailable => ("このURLは使えません", "This URL cannot be used"),
    KindHomeVisit => ("訪問診療・訪問看護の同意", "Consent for home visits"),
    KindOnline => ("オンライン診療の同意", "Consent for an online consultation"),
    ConsentTitle => ("マイナ保険証で資格確認と情報提供の同意を行います", "Eligibility check and consent with your My Number card"),
    ConsentIntro => (
        "これから、あなたの健康保険の資格を確認し、過去の薬や診療の情報をこの医療機関に提供するかどうかを選んでいただきます。選んだ内容はあとから確認・取り消しができます。",
        "Your health insurance will be checked, and you choose whether this care provider may see your past medication and care records. You can review or withdraw your choices later.",
    ),
    PrepareTitle => ("ご用意いただくもの", "What you need"),
    PrepareCard => (
        "マイナンバーカード（健康保険証として利用登録したもの）、またはスマートフォンの電子証明書",
        "Your My Number card registered as a health insurance card, or the certificate on your smartphone",
    ),
    PreparePin => (
        "利用者証明用電子証明書の暗証番号（数字4桁）。わからない場合は職員にお知らせください。",
        "The 4-digit PIN of the user-authentication certificate. If you do not know it, tell the staff.",
    ),
    PreparePlannedDate => ("オンライン診療を受ける予定の日", "The date of your online consultation"),
    NoCardAlternative => (
        "カードがない場合は、資格確認書や健康保険証でも受診できます。",
        "Without the card, you can use your eligibility certificate or insurance card instead.",
    ),
    Start => ("はじめる", "Start"),
    ItemsTitle => ("情報提供への同意", "Consent to share information"),
    ItemsIntro => (
        "それぞれの項目について「同意する」か「同意しない」を選んでください。同意しなくても診療は受けられます。",
        "Choose Agree or Decline for each item. You will be cared for either way.",
    ),
    AgreeToAll => ("すべての項目に同意する", "Agree to all items"),
    Agree => ("同意する", "Agree"),
    Decline => ("同意しない", "Decline"),
    Back => ("戻る", "Back"),
    Next => ("次へ", "Next"),
    PlannedDateTitle => ("受診予定日", "Planned consultation date"),
    PlannedDateLabel => ("オンライン診療を受ける日", "The date of the online consultation"),
    PlannedDateNote => (
        "同意はこの日の終わりまで有効です。今日より前の日は選べません。",
        "The consent lasts until the end of this day. Past dates cannot be chosen.",
    ),
    ConfirmTitle => ("同意内容の確認", "Check your choices"),
    WindowLabel => ("有効期間", "Valid"),
    ConfirmNote => (
        "この内容でよければ、次にマイナンバーカードで本人確認を行います。",
        "If this is right, confirm your identity with your My Number card next.",
    ),
    ConfirmAndIdentify => ("この内容で本人確認へ進む", "Confirm and identify me"),
    IdentityTitle => ("本人確認", "Identity check"),

    // The card step.
    LookingForReader => ("カードリーダーを探しています…", "Looking for the card reader…"),
    NoReader => ("カードリーダーが見つかりません", "No card reader found"),
    PlaceCard => ("カードをリーダーに置いてください", "Place the card on the reader"),
    HoldCardFlat => (
        "カードはリーダーの上に平らに置いてください（顔写真の面を上に）。",
        "Lay the card flat on the reader, photo side up.",
    ),
    HoldCardStill => (
        "読み取りが終わるまで、カードを動かさないでください。",
        "Keep the card still until reading ends.",
    ),
    HoldPhone => (
        "スマートフォンの電子証明書を使う場合は、スマートフォンの背面の中央をリーダーに当ててください。",
        "For a smartphone certificate, hold the middle of the phone's back on the reader.",
    ),
    ReaderRetry => ("もう一度読み取る", "Read again"),
    NoBridgeTitle => ("この端末ではカードを読み取れません", "This device cannot read the card"),
    NoBridgeWhat => (
        "カードリーダーをつないだパソコン（onshiのカードリーダー中継が動いているもの）で開いてください。",
        "Open this page on a computer with a card reader and onshi's reader bridge running.",
    ),
    HandoffTitle => ("スマートフォンでカードを読み取ります", "Read the card with your smartphone"),
    HandoffIntro => (
        "このスマートフォンでは、onshiアプリでカードを読み取ります。アプリで暗証番号を入力したあと、この画面に戻ります。",
        "On this phone the onshi app reads the card. Enter your PIN in the app; it brings you back here.",
    ),
    HandoffOpen => ("アプリでカードを読み取る", "Read the card in the app"),
    HandoffNoApp => (
        "アプリが開かない場合は、アプリをインストールするか、職員の端末で手続きしてください。",
        "If the app does not open, install it, or complete this on the staff's device.",
    ),
    PinTitle => ("暗証番号の入力", "Enter your PIN"),
    PinIntroCard => (
        "マイナンバーカードの利用者証明用電子証明書の暗証番号（数字4桁）を、ご本人が入力してください。",
        "Please type the 4-digit PIN of your card's user-authentication certificate yourself.",
    ),
    PinIntroPhone => (
        "スマートフォン用電子証明書の暗証番号（数字4桁）を、ご本人が入力してください。",
        "Please type the 4-digit PIN of your smartphone certificate yourself.",
    ),
    PinMasked => (
        "入力した数字は●で表示されます。暗証番号は職員にも見えず、カードにだけ送られます。",
        "Digits show as ●. Nobody sees the PIN, and it goes only to the card.",
    ),
    PinPadLabel => ("暗証番号の入力", "PIN entry"),
    PinDelete => ("訂正", "Delete"),
    PinSubmit => ("決定", "OK"),
    LastTryConfirm => (
        "間違えるとロックされることを理解したうえで入力します",
        "I understand a wrong PIN will lock it",
    ),
    PinLockedTitle => ("暗証番号がロックされています", "The PIN is locked"),
    PinLockedWhatToDo => (
        "ロックの解除（初期化）は、お住まいの市区町村の窓口で行えます。本日は職員が目視で本人確認を行うか、資格確認書でご確認ください。",
        "Your municipal office can reset it. Today, staff can confirm your identity visually, or use your eligibility certificate.",
    ),
    ReadingCard => ("カードを読み取っています。カードを動かさないでください…", "Reading the card. Keep it still…"),
    TryAgain => ("もう一度試す", "Try again"),
    ReturnChecking => ("アプリでの読み取り結果を確認しています…", "Checking the result from the app…"),
    ReturnNotFinished => ("カードの読み取りが完了していません", "The card was not read"),
    ReturnNotFinishedWhat => (
        "アプリでの読み取りが終わらなかったか、取り消されました。もう一度アプリで読み取るか、最初からやり直してください。",
        "The app did not finish reading the card, or it was cancelled. Read it in the app again, or start again.",
    ),
    ReturnClosed => (
        "この手続きは終了しています。最初からやり直してください。",
        "This procedure has ended. Please start again.",
    ),
    StartAgain => ("最初からやり直す", "Start again"),

    // The receipt.
    DoneTitle => ("同意を登録しました", "Your consent is registered"),
    DoneIntro => (
        "ありがとうございました。登録した内容は次のとおりです。この画面を閉じてもかまいません。",
        "Thank you. This is what was registered. You may close this page.",
    ),
    InstitutionLabel => ("医療機関等", "Care provider"),
    RegisteredAtLabel => ("登録日時", "Registered"),
    IdentityLabel => ("本人確認", "Identity check"),
    IdentityPin => ("暗証番号", "PIN"),
    IdentityVisual => ("目視確認", "Visual check by staff"),
    VisualTitle => ("暗証番号を使わずに確認する（目視確認）", "Confirm without the PIN (visual check)"),
    VisualIntro => (
        "職員がマイナンバーカードの顔写真とご本人を見比べて確認します。暗証番号は入力しません。この医療機関等の登録端末でだけ行えます。",
        "Staff compare the photo on the card with the patient; no PIN is typed. Only on a registered device of this institution.",
    ),
    VisualConfirm => (
        "カードの顔写真とご本人が同じ方であることを確認しました（職員）",
        "I (staff) have checked that the photo on the card is this patient",
    ),
    ReaderChoice => ("カードリーダー", "Card reader"),
    VisualGo => ("目視確認で進む", "Continue with the visual check"),
    ReceiptIdLabel => ("控えの番号", "Receipt number"),
    ReceiptQrAlt => (
        "同意の控え（署名付き）のQRコード",
        "QR code of the signed consent receipt",
    ),
    ReceiptQrCaption => (
        "このQRコードは同意の控えです（氏名などの個人情報は含みません）。",
        "This QR code is your consent receipt (it holds no name or other personal data).",
    ),
    ChangeLater => (
        "同意の内容は、いつでも確認・変更・取り消しができます。",
        "You can review, change or withdraw your consent at any time.",
    ),
    MyConsentsLink => ("同意の確認・取り消し", "Review or withdraw my consents"),
    // The patient's own view.
    MeTitle => ("同意の確認・変更・取り消し", "My consents"),
    MeSignIn => (
        "ご本人の確認のため、マイナンバーカードを読み取り、暗証番号（数字4桁）を入力してください。",
        "To identify you, place your My Number card and enter its 4-digit PIN.",
    ),
    MeConsents => ("登録されている同意", "Registered consents"),
    MeNoConsents => ("登録されている同意はありません。", "No consent is registered."),
    MeItem => ("項目", "Item"),
    MeState => ("状態", "State"),
    MeGivenAt => ("登録日時", "Given"),
    MeChange => ("変更", "Change"),
    MeWithdrawItem => ("この項目の同意を取り消す", "Withdraw this item"),
    MeAgreeItem => ("この項目に同意する", "Agree to this item"),
    MeRevokeAll => ("すべての同意を取り消す", "Withdraw every consent"),
    MeRevokeAllConfirm => (
        "すべての医療機関等への同意を取り消します。訪問診療・訪問看護の次回の確認では、もう一度カードでの手続きが必要になります。よろしいですか。",
        "This withdraws every consent at every care provider. The next home visit will need the card again. Continue?",
    ),
    MeRevokeAllYes => ("取り消す", "Withdraw"),
    MeRevokeAllNo => ("やめる", "Cancel"),
    MeAccesses => ("閲覧履歴（あなたの情報を見た医療機関等）", "Who looked at my information"),
    MeNoAccesses => ("閲覧された記録はありません。", "Nobody has looked at your information."),
    MeAccessAt => ("日時", "When"),
    MeAccessInformation => ("情報", "Information"),
    MeAccessResult => ("結果", "Result"),
    MeAccessViewed => ("閲覧", "Viewed"),
    MeAccessRefused => ("拒否（閲覧できませんでした）", "Refused (not shown)"),
    MeStateActive => ("同意中", "Agreed"),
    MeStateDeclined => ("同意しない", "Declined"),
    MeStateExpired => ("期間終了", "Ended"),
    MeStateRevokedByMe => ("取り消し済み（ご本人）", "Withdrawn by you"),
    MeStateRevokedByInstitution => ("取り消し済み（医療機関等）", "Withdrawn by the care provider"),
    MeStateAbsent => ("未登録", "Not registered"),
    // The qualification view.
    QTitle => ("資格情報", "Qualification"),
    VerdictValid => ("有効", "Valid"),
    VerdictInvalid => ("無効", "Not valid"),
    VerdictError => ("エラー", "Error"),
    QName => ("氏名", "Name"),
    QBirthdate => ("生年月日", "Date of birth"),
    QInsurer => ("保険者", "Insurer"),
    QSymbolNumber => ("記号・番号・枝番", "Symbol, number, branch"),
    QCardKind => ("被保険者証区分", "Card classification"),
    QCopay => ("一部負担金割合", "Copayment"),
    QPeriod => ("資格取得日 〜 喪失日", "Qualified from – until"),
    QElderly => ("高齢受給者証", "Elderly recipient certificate"),
    QLimit => ("限度額適用認定証", "Cost-limit certificate"),
    QSpecificDisease => ("特定疾病療養受療証", "Specific-disease certificate"),
    QMedAid => ("医療扶助（公費負担者番号・受給者番号・福祉事務所）", "Medical assistance (payer, beneficiary, welfare office)"),
    QMedAidTicket => ("医療券・調剤券", "Medical ticket"),
    QNotEntrusted => ("未委託", "not entrusted"),
    QWithheld => ("表示しない情報: ", "Not shown: "),
    // The registered device.
    DeviceTitle => ("この端末の登録", "Register this device"),
    DeviceIntro => (
        "スタッフ画面は、医療機関等の登録端末でのみ使えます。管理者から受け取った端末鍵ファイル（.json）を選んでください。",
        "Staff screens work only on a registered device of the institution. Choose the device key file (.json) your administrator gave you.",
    ),
    DeviceKeyFile => ("端末鍵ファイル", "Device key file"),
    DeviceKeyNote => (
        "鍵はこのブラウザーの中に取り出せない形で保存され、ファイルは取り込み後に削除してかまいません。",
        "The key is kept in this browser in a form that cannot be read out; you may delete the file afterwards.",
    ),
    DeviceRegistered => ("登録端末:", "Registered device:"),
    DeviceForget => ("登録を解除", "Forget this device"),

    // The qualification-limited check.
    LimitedTitle => ("資格確認（資格確認限定型）", "Qualification check (limited type)"),
    LimitedIntro => (
        "施術所・健診実施機関・助産所向けの画面です。マイナンバーカードで資格情報だけを確認します。薬剤・診療などの情報は取得も表示もしません。",
        "For treatment clinics, checkup institutions and midwifery homes: the card confirms the qualification only. No medication or care information is requested or shown.",
    ),
    LimitedPatientPin => (
        "患者さんにカードをリーダーに置いていただき、暗証番号を患者さんご本人に入力していただいてください。",
        "Ask the patient to place the card on the reader and to type the PIN themselves.",
    ),
    LimitedNext => ("次の方", "Next patient"),
    // The staff console.
    ConsoleTitle => ("スタッフ画面", "Staff console"),
    Close => ("閉じる", "Close"),
    VisitsTitle => ("訪問予定・再照会", "Visits and re-inquiry"),
    VisitListAge => ("一覧の取得: ", "List fetched: "),
    VisitFilter => ("表示する患者", "Patients shown"),
    VisitToday => ("今日", "Today"),
    VisitTomorrow => ("明日", "Tomorrow"),
    VisitAll => ("すべて", "All"),
    VisitReinquire => ("再照会", "Re-inquire"),
    VisitReinquireAll => ("表示中の全員を再照会", "Re-inquire everyone shown"),
    VisitDetails => ("詳細", "Details"),
    VisitDetailTitle => ("資格情報の詳細", "Qualification details"),
    VisitNoResult => ("まだ照会していません。「再照会」を押してください。", "Not checked yet: press Re-inquire."),
    VisitNone => (
        "継続して訪問している患者さんはいません。初回の訪問で、患者さんに医療機関URLから同意していただいてください。",
        "No patient under continuing care yet. At the first visit, the patient consents at the institution URL.",
    ),
    VisitReference => ("照会番号", "Reference number"),
    VisitNoReference => ("未登録", "not set"),
    VisitReferenceNote => (
        "カルテ番号など、この医療機関等で患者を識別する番号です。登録すると照会結果に付きます。",
        "Your own number for the patient (a chart number); results carry it once registered.",
    ),
    VisitReferenceSave => ("照会番号を登録", "Register the reference number"),
    VisitCardAt => ("カードでの確認日時", "Card check"),
    VisitResult => ("結果", "Result"),
    VisitRound => ("訪問予定", "Round"),
    VisitActions => ("操作", "Actions"),
    VisitQueued => ("送信待ち", "queued"),
    MedTitle => ("薬剤情報・特定健診等情報（同意に基づく）", "Medication and checkups (under consent)"),
    MedLicensed => (
        "閲覧するのは有資格者（医師・歯科医師・薬剤師・看護師等）です",
        "The person viewing is licensed (doctor, dentist, pharmacist, nurse)",
    ),
    MedMedications => ("薬剤情報", "Medication"),
    MedCheckups => ("特定健診等情報", "Health checkups"),
    MedViewable => ("取得した情報の閲覧期限: ", "Viewable until: "),
    MedConsentWindow => ("同意の有効期間: ", "Consent valid: "),
    MedNone => ("該当する情報はありません。", "Nothing to show."),
    MedDispensedOn => ("調剤日", "Dispensed"),
    MedDrug => ("薬品名", "Drug"),
    MedQuantity => ("用量", "Dose"),
    MedUsage => ("用法", "Usage"),
    MedDays => ("日数", "Days"),
    MedPharmacy => ("調剤", "Pharmacy"),
    MedPrescriber => ("処方", "Prescriber"),
    MedCheckupDate => ("実施日", "Date"),
    MedCheckupItem => ("項目", "Item"),
    MedCheckupValue => ("結果", "Result"),
    MedCheckupInstitution => ("実施機関", "Institution"),
    BulkTitle => ("一括照会", "Batch inquiry"),
    BulkIntro => (
        "患者一覧（CSV）またはレセプトコンピュータの一括照会要求ファイル（XML）を選ぶと、全員の資格を照会します。",
        "Choose a patient list (CSV) or the receipt computer's batch request (XML) to check everyone's qualification.",
    ),
    BulkFile => ("照会するファイル", "File to check"),
    BulkProgress => ("照会中", "Checking"),
    BulkDone => ("照会完了", "Checked"),
    BulkExport => ("結果をCSVで保存", "Save results as CSV"),
    BulkLine => ("行", "Line"),
    BulkReason => ("理由・対応", "Reason"),
    BulkPages => ("結果のページ", "Result pages"),
    BulkPrevious => ("前の100件", "Previous 100"),
    BulkNext => ("次の100件", "Next 100"),
    UrlsTitle => ("医療機関URL・QRコード", "Institution URL and QR"),
    UrlsIntro => (
        "患者さんが同意の手続きを始めるURLです。QRコードを印刷するか、画面で見せてください。",
        "Patients start consent at this URL. Print the QR code or show it on screen.",
    ),
    UrlHomeVisit => ("訪問診療・訪問看護用", "For home visits"),
    UrlOnline => ("オンライン診療用", "For online consultations"),
    UrlGeneration => ("発行回数:", "Issue:"),
    UrlQrAlt => ("QRコード:", "QR code:"),
    UrlIssue => ("URLを発行する", "Issue the URL"),
    UrlReissue => ("URLを再発行する", "Re-issue the URL"),
    UrlReissueNote => (
        "再発行すると、これまでのURLとQRコードはすぐに使えなくなります。",
        "After a re-issue, the old URL and QR code stop working at once.",
    ),
}

/// `x` digits typed, for screen readers.
pub fn digits_typed(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => format!("{n}桁入力済み（4桁中）"),
        Lang::En => format!("{n} of 4 digits typed"),
    }
}

/// A kind of information (薬剤情報, …).
pub fn information(lang: Lang, information: onshi_core::facility::Information) -> &'static str {
    use onshi_core::facility::Information as I;
    let (ja, en) = match information {
        I::Qualification => ("資格情報", "Qualification"),
        I::LimitCertificate => ("限度額適用認定証情報", "Cost-limit certificate"),
        I::SpecificDiseaseCertificate => ("特定疾病療養受療証情報", "Specific-disease certificate"),
        I::Medication => ("薬剤情報", "Medication"),
        I::Diagnosis => ("診療情報", "Care records"),
        I::Surgery => ("手術情報", "Surgery"),
        I::HealthCheckups => ("特定健診等情報", "Health checkups"),
    };
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// The PIN tries left before the lock.
pub fn tries_left(lang: Lang, n: u8) -> String {
    match lang {
        Lang::Ja => format!("残り回数: あと{n}回"),
        Lang::En if n == 1 => "1 try left".to_owned(),
        Lang::En => format!("{n} tries left"),
    }
}

/// The item's stable name, for form field names and tests.
pub fn item_code(item: ConsentItem) -> &'static str {
    match item {
        ConsentItem::Surgery => "surgery",
        ConsentItem::CareAndMedication => "care_and_medication",
        ConsentItem::HealthCheckups => "health_checkups",
        ConsentItem::SpecificDisease => "specific_disease",
    }
}

/// The item's wording on the consent screen (Japanese is core's).
pub fn item_label(lang: Lang, item: ConsentItem) -> &'static str {
    match lang {
        Lang::Ja => item.label_ja(),
        Lang::En => item.label_en(),
    }
}

/// A plain explanation of what the item shares and why.
pub fn item_explanation(lang: Lang, item: ConsentItem) -> &'static str {
    let (ja, en) = match item {
        ConsentItem::Surgery => (
            "過去5年間に受けた手術の記録です。安全な治療のために使われます。",
            "Records of surgery in the past 5 years, used to treat you safely.",
        ),
        ConsentItem::CareAndMedication => (
            "過去3年間の薬（調剤・処方）と、過去5年間の診療（病名・処置）の記録です。飲み合わせや重複を防ぎます。",
            "Your medication of the past 3 years and care records (diagnoses, treatments) of the past 5 years. They help avoid duplicate or conflicting drugs.",
        ),
        ConsentItem::HealthCheckups => (
            "特定健診（40歳以上の方が対象）の結果です。40歳未満の方は該当する情報がありません。",
            "Results of specific health checkups, which are for people aged 40 and over. Under 40, there is nothing to share.",
        ),
        ConsentItem::SpecificDisease => (
            "特定疾病療養受療証（人工透析・血友病など）の情報です。窓口での負担額の確認に使われます。",
            "Your specific-disease treatment certificate (dialysis, haemophilia, …), used to set what you pay.",
        ),
    };
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// A JST `YYYYMMDDhhmmss` value as people read it (`2026年11月22日 14:05`, `22 Nov 2026 14:05`).
pub fn datetime_text(lang: Lang, wire: &str) -> String {
    match onshi_core::jst::parse_datetime(wire) {
        Ok(t) => datetime(lang, t),
        Err(_) => wire.to_owned(),
    }
}

/// A JST date-time as people read it.
pub fn datetime(lang: Lang, t: onshi_core::jst::JstDateTime) -> String {
    format!("{} {:02}:{:02}", date(lang, t.date()), t.hour(), t.minute())
}

/// A date as people read it.
pub fn date(lang: Lang, d: onshi_core::jst::Date) -> String {
    match lang {
        Lang::Ja => format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day()),
        Lang::En => format!(
            "{} {} {}",
            d.day(),
            &format!("{:?}", d.month())[..3],
            d.year()
        ),
    }
}

/// How long a consent lasts.
pub fn window(lang: Lang, window: &ConsentWindow) -> String {
    match window {
        ConsentWindow::Until { until } => match lang {
            Lang::Ja => format!("{}まで", datetime(lang, *until)),
            Lang::En => format!("until {}", datetime(lang, *until)),
        },
        ConsentWindow::WhileCareContinues => match lang {
            Lang::Ja => "訪問診療・訪問看護が続く間（取り消すまで）".to_owned(),
            Lang::En => "while your home care continues (until you withdraw it)".to_owned(),
        },
    }
}
