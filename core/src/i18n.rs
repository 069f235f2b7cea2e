//! Text a person reads, in Japanese first and English second (日本語・英語).

use serde::Serialize;

/// A message in both of onshi's languages. Japanese is the primary text; English follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    /// 日本語: the primary text.
    pub ja: String,
    /// English.
    pub en: String,
}

impl Message {
    /// A message from its Japanese and English texts.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// The text in one language.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

impl std::fmt::Display for Message {
    /// Both languages, Japanese first: `保険者番号の検証番号が一致しません (insurer number …)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.ja, self.en)
    }
}

/// A display language (表示言語).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum Lang {
    /// 日本語 (the default).
    #[default]
    Ja,
    /// English.
    En,
}
