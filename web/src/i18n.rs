//! The message catalogue: every text the app shows, Japanese first, English second.
//! Messages about identifiers come from onshi-core, already in both languages.

pub use onshi_core::i18n::Lang;

/// A text of the app's own (not a rule's message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    AppName,
    CheckerTitle,
    CheckerIntro,
    KindLabel,
    ValueLabel,
    ValuePlaceholder,
    Valid,
    Invalid,
    Canonical,
    Warning,
    SwitchLanguage,
    EmptyPrompt,
    PersonalNote,
}

/// The text in a language.
pub fn t(lang: Lang, text: Text) -> &'static str {
    let (ja, en) = match text {
        Text::AppName => ("onshi", "onshi"),
        Text::CheckerTitle => ("識別番号チェッカー", "Identifier checker"),
        Text::CheckerIntro => (
            "保険者番号・記号番号・公費番号・医療機関等コードを入力すると、正しい形式かどうかとその理由をすぐに表示します。入力内容は送信されず、この画面の中だけで確認します。",
            "Type an insurer number, card symbol or number, public-expense number or institution code to see at once whether it is valid and why not. Nothing is sent anywhere: the check runs in this page.",
        ),
        Text::KindLabel => ("番号の種類", "Kind of number"),
        Text::ValueLabel => ("番号", "Number"),
        Text::ValuePlaceholder => ("例: 01130012", "e.g. 01130012"),
        Text::Valid => ("有効な番号です", "Valid"),
        Text::Invalid => ("この番号は使えません", "Not valid"),
        Text::Canonical => ("正規化した値", "Canonical form"),
        Text::Warning => ("確認してください", "Please check"),
        Text::SwitchLanguage => ("English", "日本語"),
        Text::EmptyPrompt => ("番号を入力してください", "Enter a number"),
        Text::PersonalNote => (
            "記号・番号・枝番・受給者番号は個人情報です。画面共有や記録に注意してください。",
            "Symbols, numbers, branch and beneficiary numbers are personal data: take care when sharing the screen.",
        ),
    };
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}
