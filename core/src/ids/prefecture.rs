//! 都道府県番号 (prefecture number): 01 北海道 … 47 沖縄, in JIS X 0401 order.

use super::error::{IdError, IdErrorKind};
use super::kind::IdentifierKind;

const NAMES: [(&str, &str); 47] = [
    ("北海道", "Hokkaido"),
    ("青森県", "Aomori"),
    ("岩手県", "Iwate"),
    ("宮城県", "Miyagi"),
    ("秋田県", "Akita"),
    ("山形県", "Yamagata"),
    ("福島県", "Fukushima"),
    ("茨城県", "Ibaraki"),
    ("栃木県", "Tochigi"),
    ("群馬県", "Gunma"),
    ("埼玉県", "Saitama"),
    ("千葉県", "Chiba"),
    ("東京都", "Tokyo"),
    ("神奈川県", "Kanagawa"),
    ("新潟県", "Niigata"),
    ("富山県", "Toyama"),
    ("石川県", "Ishikawa"),
    ("福井県", "Fukui"),
    ("山梨県", "Yamanashi"),
    ("長野県", "Nagano"),
    ("岐阜県", "Gifu"),
    ("静岡県", "Shizuoka"),
    ("愛知県", "Aichi"),
    ("三重県", "Mie"),
    ("滋賀県", "Shiga"),
    ("京都府", "Kyoto"),
    ("大阪府", "Osaka"),
    ("兵庫県", "Hyogo"),
    ("奈良県", "Nara"),
    ("和歌山県", "Wakayama"),
    ("鳥取県", "Tottori"),
    ("島根県", "Shimane"),
    ("岡山県", "Okayama"),
    ("広島県", "Hiroshima"),
    ("山口県", "Yamaguchi"),
    ("徳島県", "Tokushima"),
    ("香川県", "Kagawa"),
    ("愛媛県", "Ehime"),
    ("高知県", "Kochi"),
    ("福岡県", "Fukuoka"),
    ("佐賀県", "Saga"),
    ("長崎県", "Nagasaki"),
    ("熊本県", "Kumamoto"),
    ("大分県", "Oita"),
    ("宮崎県", "Miyazaki"),
    ("鹿児島県", "Kagoshima"),
    ("沖縄県", "Okinawa"),
];

/// 都道府県番号: a prefecture, numbered 1 (北海道) to 47 (沖縄県).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Prefecture(u8);

impl Prefecture {
    /// The prefecture with this number, if it is 1–47.
    pub fn new(number: u8) -> Option<Self> {
        (1..=47).contains(&number).then_some(Self(number))
    }

    /// Reads the two ASCII digits at the start of `digits` as the prefecture of `field`.
    pub(crate) fn from_digits(field: IdentifierKind, digits: &str) -> Result<Self, IdError> {
        let number = digits
            .get(..2)
            .and_then(|d| d.parse::<u8>().ok())
            .unwrap_or(0);
        Self::new(number)
            .ok_or_else(|| IdError::new(field, IdErrorKind::Prefecture { found: number }, None))
    }

    /// The number, 1–47.
    pub fn number(self) -> u8 {
        self.0
    }

    /// The name in Japanese, e.g. `東京都`.
    pub fn name_ja(self) -> &'static str {
        NAMES[usize::from(self.0 - 1)].0
    }

    /// The name in English, e.g. `Tokyo`.
    pub fn name_en(self) -> &'static str {
        NAMES[usize::from(self.0 - 1)].1
    }
}

impl std::fmt::Display for Prefecture {
    /// The two-digit number, e.g. `13`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_and_outside() {
        assert_eq!(Prefecture::new(1).map(Prefecture::name_ja), Some("北海道"));
        assert_eq!(Prefecture::new(13).map(Prefecture::name_en), Some("Tokyo"));
        assert_eq!(Prefecture::new(47).map(Prefecture::name_ja), Some("沖縄県"));
        assert_eq!(Prefecture::new(0), None);
        assert_eq!(Prefecture::new(48), None);
    }
}
