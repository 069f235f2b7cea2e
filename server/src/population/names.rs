//! 氏名と住所 (names and addresses) of the synthetic population: common family names, given names
//! by generation, and the places people live, with readings in katakana turned into the half-width
//! form results carry (`ｼﾝﾘｮｳ ﾀﾛｳ`).

/// Family names (姓) with their readings, in rough order of frequency. A few use the CP932
/// extended or old forms (髙, 邊, 齋) that terminals often show as ●.
pub const FAMILY_NAMES: &[(&str, &str)] = &[
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("斎藤", "サイトウ"),
    ("清水", "シミズ"),
    ("山崎", "ヤマザキ"),
    ("森", "モリ"),
    ("池田", "イケダ"),
    ("橋本", "ハシモト"),
    ("阿部", "アベ"),
    ("石川", "イシカワ"),
    ("山下", "ヤマシタ"),
    ("中島", "ナカジマ"),
    ("石井", "イシイ"),
    ("小川", "オガワ"),
    ("前田", "マエダ"),
    ("岡田", "オカダ"),
    ("長谷川", "ハセガワ"),
    ("藤田", "フジタ"),
    ("後藤", "ゴトウ"),
    ("近藤", "コンドウ"),
    ("村上", "ムラカミ"),
    ("遠藤", "エンドウ"),
    ("青木", "アオキ"),
    ("坂本", "サカモト"),
    ("福田", "フクダ"),
    ("太田", "オオタ"),
    ("西村", "ニシムラ"),
    ("藤井", "フジイ"),
    ("金子", "カネコ"),
    ("岡本", "オカモト"),
    ("藤原", "フジワラ"),
    ("中野", "ナカノ"),
    ("三浦", "ミウラ"),
    ("原田", "ハラダ"),
    ("中川", "ナカガワ"),
    ("松田", "マツダ"),
    ("竹内", "タケウチ"),
    ("小野", "オノ"),
    ("田村", "タムラ"),
    ("中山", "ナカヤマ"),
    ("和田", "ワダ"),
    ("石田", "イシダ"),
    ("森田", "モリタ"),
    ("上田", "ウエダ"),
    ("内田", "ウチダ"),
    ("柴田", "シバタ"),
    ("酒井", "サカイ"),
    ("宮崎", "ミヤザキ"),
    ("横山", "ヨコヤマ"),
    ("高木", "タカギ"),
    ("安藤", "アンドウ"),
    ("宮本", "ミヤモト"),
    ("大野", "オオノ"),
    ("工藤", "クドウ"),
    ("比嘉", "ヒガ"),
    ("髙橋", "タカハシ"),
    ("渡邊", "ワタナベ"),
    ("齋藤", "サイトウ"),
];

/// Given names (名) with readings: `[generation][sex]`, generation 0 born before 1956, 1 born
/// 1956–1989, 2 born 1990 or later; sex 0 male, 1 female.
pub const GIVEN_NAMES: [[&[(&str, &str)]; 2]; 3] = [
    [
        &[
            ("清", "キヨシ"),
            ("茂", "シゲル"),
            ("勇", "イサム"),
            ("博", "ヒロシ"),
            ("実", "ミノル"),
            ("進", "ススム"),
            ("正雄", "マサオ"),
            ("武", "タケシ"),
            ("昭", "アキラ"),
            ("和夫", "カズオ"),
            ("三郎", "サブロウ"),
            ("隆", "タカシ"),
            ("修", "オサム"),
            ("豊", "ユタカ"),
            ("義男", "ヨシオ"),
        ],
        &[
            ("和子", "カズコ"),
            ("幸子", "サチコ"),
            ("節子", "セツコ"),
            ("洋子", "ヨウコ"),
            ("恵子", "ケイコ"),
            ("京子", "キョウコ"),
            ("美智子", "ミチコ"),
            ("久子", "ヒサコ"),
            ("文子", "フミコ"),
            ("静子", "シズコ"),
            ("信子", "ノブコ"),
            ("トメ", "トメ"),
            ("ハル", "ハル"),
            ("キヨ", "キヨ"),
            ("千代", "チヨ"),
        ],
    ],
    [
        &[
            ("誠", "マコト"),
            ("浩", "ヒロシ"),
            ("健一", "ケンイチ"),
            ("直樹", "ナオキ"),
            ("大輔", "ダイスケ"),
            ("哲也", "テツヤ"),
            ("剛", "ツヨシ"),
            ("健太", "ケンタ"),
            ("拓也", "タクヤ"),
            ("和也", "カズヤ"),
            ("達也", "タツヤ"),
            ("智之", "トモユキ"),
            ("雅之", "マサユキ"),
            ("秀樹", "ヒデキ"),
            ("聡", "サトシ"),
        ],
        &[
            ("由美子", "ユミコ"),
            ("真由美", "マユミ"),
            ("裕子", "ユウコ"),
            ("久美子", "クミコ"),
            ("智子", "トモコ"),
            ("恵", "メグミ"),
            ("直美", "ナオミ"),
            ("陽子", "ヨウコ"),
            ("明美", "アケミ"),
            ("香織", "カオリ"),
            ("美穂", "ミホ"),
            ("愛", "アイ"),
            ("麻衣", "マイ"),
            ("綾", "アヤ"),
            ("理恵", "リエ"),
        ],
    ],
    [
        &[
            ("翔太", "ショウタ"),
            ("大翔", "ヒロト"),
            ("蓮", "レン"),
            ("悠真", "ユウマ"),
            ("陽翔", "ハルト"),
            ("湊", "ミナト"),
            ("颯太", "ソウタ"),
            ("大和", "ヤマト"),
            ("蒼", "アオイ"),
            ("樹", "イツキ"),
            ("悠斗", "ユウト"),
            ("陸", "リク"),
            ("奏太", "カナタ"),
            ("健", "ケン"),
            ("拓海", "タクミ"),
        ],
        &[
            ("美咲", "ミサキ"),
            ("陽菜", "ヒナ"),
            ("結衣", "ユイ"),
            ("葵", "アオイ"),
            ("凛", "リン"),
            ("芽依", "メイ"),
            ("結菜", "ユイナ"),
            ("咲良", "サクラ"),
            ("紬", "ツムギ"),
            ("杏", "アン"),
            ("莉子", "リコ"),
            ("心春", "コハル"),
            ("彩花", "アヤカ"),
            ("さくら", "サクラ"),
            ("美桜", "ミオ"),
        ],
    ],
];

/// A municipality (市区町村): its 国保 保険者別番号 (3 digits) and name.
#[derive(Debug, Clone, Copy)]
pub struct Municipality {
    /// 保険者別番号 of its 国民健康保険 (the 6-digit number is prefecture + this + check digit).
    pub code: &'static str,
    /// 市区町村名.
    pub name: &'static str,
}

/// A prefecture (都道府県) where synthetic people live, with its share of the population (‰).
#[derive(Debug, Clone, Copy)]
pub struct Place {
    /// 都道府県番号.
    pub prefecture: u8,
    /// 都道府県名.
    pub name: &'static str,
    /// The short name used in 支部 names (東京, 大阪).
    pub short: &'static str,
    /// Share of the synthetic population, per mille.
    pub weight: u32,
    /// Its municipalities.
    pub municipalities: &'static [Municipality],
}

const fn m(code: &'static str, name: &'static str) -> Municipality {
    Municipality { code, name }
}

/// The places, weighted towards Tokyo (where the demo institutions are).
pub const PLACES: &[Place] = &[
    Place {
        prefecture: 13,
        name: "東京都",
        short: "東京",
        weight: 400,
        municipalities: &[
            m("101", "千代田区"),
            m("102", "中央区"),
            m("103", "港区"),
            m("104", "新宿区"),
            m("105", "文京区"),
            m("106", "台東区"),
            m("107", "墨田区"),
            m("108", "江東区"),
            m("109", "品川区"),
            m("110", "目黒区"),
            m("111", "大田区"),
            m("112", "世田谷区"),
            m("113", "渋谷区"),
            m("114", "中野区"),
            m("115", "杉並区"),
            m("116", "豊島区"),
            m("117", "北区"),
            m("118", "荒川区"),
            m("119", "板橋区"),
            m("120", "練馬区"),
            m("121", "足立区"),
            m("122", "葛飾区"),
            m("123", "江戸川区"),
            m("201", "八王子市"),
            m("209", "町田市"),
        ],
    },
    Place {
        prefecture: 14,
        name: "神奈川県",
        short: "神奈川",
        weight: 120,
        municipalities: &[
            m("101", "横浜市"),
            m("130", "川崎市"),
            m("150", "相模原市"),
            m("205", "藤沢市"),
        ],
    },
    Place {
        prefecture: 27,
        name: "大阪府",
        short: "大阪",
        weight: 110,
        municipalities: &[
            m("100", "大阪市"),
            m("140", "堺市"),
            m("203", "豊中市"),
            m("227", "東大阪市"),
        ],
    },
    Place {
        prefecture: 23,
        name: "愛知県",
        short: "愛知",
        weight: 90,
        municipalities: &[m("100", "名古屋市"), m("202", "岡崎市"), m("211", "豊田市")],
    },
    Place {
        prefecture: 11,
        name: "埼玉県",
        short: "埼玉",
        weight: 90,
        municipalities: &[
            m("100", "さいたま市"),
            m("203", "川口市"),
            m("208", "所沢市"),
        ],
    },
    Place {
        prefecture: 1,
        name: "北海道",
        short: "北海道",
        weight: 60,
        municipalities: &[m("100", "札幌市"), m("202", "函館市"), m("204", "旭川市")],
    },
    Place {
        prefecture: 40,
        name: "福岡県",
        short: "福岡",
        weight: 60,
        municipalities: &[
            m("100", "北九州市"),
            m("130", "福岡市"),
            m("203", "久留米市"),
        ],
    },
    Place {
        prefecture: 4,
        name: "宮城県",
        short: "宮城",
        weight: 25,
        municipalities: &[m("100", "仙台市")],
    },
    Place {
        prefecture: 34,
        name: "広島県",
        short: "広島",
        weight: 25,
        municipalities: &[m("100", "広島市")],
    },
    Place {
        prefecture: 46,
        name: "鹿児島県",
        short: "鹿児島",
        weight: 10,
        municipalities: &[m("201", "鹿児島市")],
    },
    Place {
        prefecture: 47,
        name: "沖縄県",
        short: "沖縄",
        weight: 10,
        municipalities: &[m("201", "那覇市")],
    },
];

/// 町名 used to build addresses.
pub const TOWNS: &[&str] = &[
    "本町",
    "中央",
    "栄町",
    "緑町",
    "旭町",
    "若葉",
    "桜台",
    "東町",
    "西町",
    "南町",
    "北町",
    "日の出町",
    "富士見",
    "青葉台",
    "松が丘",
    "宮前",
];

const FULL: &str = "ァアィイゥウェエォオカキクケコサシスセソタチッツテトナニヌネノハヒフヘホマミムメモャヤュユョヨラリルレロワヲンー";
const HALF: &str = "ｧｱｨｲｩｳｪｴｫｵｶｷｸｹｺｻｼｽｾｿﾀﾁｯﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓｬﾔｭﾕｮﾖﾗﾘﾙﾚﾛﾜｦﾝｰ";
const VOICED: &str = "ガギグゲゴザジズゼゾダヂヅデドバビブベボ";
const VOICED_BASE: &str = "カキクケコサシスセソタチツテトハヒフヘホ";
const SEMI: &str = "パピプペポ";
const SEMI_BASE: &str = "ハヒフヘホ";

fn half_of(c: char) -> Option<char> {
    FULL.chars()
        .position(|f| f == c)
        .and_then(|i| HALF.chars().nth(i))
}

/// 半角カナ: full-width katakana (and spaces) to the half-width form of `NameKana`, a voiced kana
/// becoming two characters (`ダ` → `ﾀﾞ`). Other characters pass through.
pub fn half_width_kana(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if let Some(i) = VOICED.chars().position(|v| v == c)
            && let Some(h) = VOICED_BASE.chars().nth(i).and_then(half_of)
        {
            out.push(h);
            out.push('ﾞ');
            continue;
        }
        if let Some(i) = SEMI.chars().position(|v| v == c)
            && let Some(h) = SEMI_BASE.chars().nth(i).and_then(half_of)
        {
            out.push(h);
            out.push('ﾟ');
            continue;
        }
        match c {
            'ヴ' => out.push_str("ｳﾞ"),
            '　' | ' ' => out.push(' '),
            _ => out.push(half_of(c).unwrap_or(c)),
        }
    }
    out
}

/// Full-width digits (住所 is written with them, as on the card).
pub fn full_width_digits(n: u64) -> String {
    n.to_string()
        .chars()
        .map(|c| {
            c.to_digit(10)
                .and_then(|d| char::from_u32(0xFF10 + d))
                .unwrap_or(c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn katakana_becomes_half_width_with_split_voicing() {
        assert_eq!(half_width_kana("シンリョウ　タロウ"), "ｼﾝﾘｮｳ ﾀﾛｳ");
        assert_eq!(half_width_kana("ワタナベ　ダイスケ"), "ﾜﾀﾅﾍﾞ ﾀﾞｲｽｹ");
        assert_eq!(half_width_kana("ポ"), "ﾎﾟ");
        assert_eq!(FULL.chars().count(), HALF.chars().count());
        assert_eq!(VOICED.chars().count(), VOICED_BASE.chars().count());
    }

    #[test]
    fn every_reading_converts_completely() {
        let all = FAMILY_NAMES
            .iter()
            .chain(GIVEN_NAMES.iter().flatten().flat_map(|l| l.iter()));
        for (_, reading) in all {
            let half = half_width_kana(reading);
            assert!(
                half.chars().all(|c| ('\u{FF61}'..='\u{FF9F}').contains(&c)),
                "{reading} → {half}"
            );
        }
    }

    #[test]
    fn addresses_use_full_width_digits() {
        assert_eq!(full_width_digits(12), "１２");
    }
}
