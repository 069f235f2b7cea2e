//! 表示設定: language and text size, chosen once and kept in this browser (`localStorage`), so an
//! elderly patient who enlarged the text keeps it on the next page.

use onshi_core::i18n::Lang;

/// 文字の大きさ: S, M (default) or L. The whole page scales with the root font size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextSize {
    /// 小.
    Small,
    /// 中 (default).
    #[default]
    Medium,
    /// 大.
    Large,
}

impl TextSize {
    /// Every size, smallest first.
    pub const ALL: [Self; 3] = [Self::Small, Self::Medium, Self::Large];

    /// The stored and CSS class form.
    pub fn code(self) -> &'static str {
        match self {
            Self::Small => "s",
            Self::Medium => "m",
            Self::Large => "l",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

const LANG_KEY: &str = "onshi.lang";
const SIZE_KEY: &str = "onshi.text-size";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// A parameter of the page's query string.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// The language: `?lang=en|ja` first, then the stored choice, then the browser's language
/// (Japanese unless it prefers English).
pub fn initial_lang() -> Lang {
    let parse = |code: &str| match code {
        "en" => Some(Lang::En),
        "ja" => Some(Lang::Ja),
        _ => None,
    };
    query_param("lang")
        .and_then(|l| parse(&l))
        .or_else(|| {
            storage()
                .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
                .and_then(|l| parse(&l))
        })
        .unwrap_or(Lang::Ja)
}

/// Keeps the language for the next pages.
pub fn save_lang(lang: Lang) {
    if let Some(s) = storage() {
        let _ = s.set_item(LANG_KEY, lang_code(lang));
    }
}

/// `ja` or `en`, for `<html lang>`.
pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    }
}

/// The stored text size.
pub fn initial_size() -> TextSize {
    storage()
        .and_then(|s| s.get_item(SIZE_KEY).ok().flatten())
        .and_then(|c| TextSize::from_code(&c))
        .unwrap_or_default()
}

/// Keeps the text size for the next pages.
pub fn save_size(size: TextSize) {
    if let Some(s) = storage() {
        let _ = s.set_item(SIZE_KEY, size.code());
    }
}
