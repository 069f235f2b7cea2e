//! 検証番号 (check digit) shared by 保険者番号, 公費負担者番号, 受給者番号 and 医療機関等コード.

/// The check digit for a body of decimal digits (each 0–9), by MHLW's 保険者番号等の設定要領.
///
/// From the rightmost digit of the body, digits are weighted 2, 1, 2, 1, …; a two-digit product
/// counts as the sum of its digits; the check digit is `(10 − sum mod 10) mod 10`.
/// Example: the body `0113001` of 協会けんぽ 東京支部 gives 2, so `01130012`.
pub fn check_digit(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let product = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
            product / 10 + product % 10
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(s: &str) -> Vec<u8> {
        s.bytes().map(|b| b - b'0').collect()
    }

    #[test]
    fn worked_examples_from_the_domain_reference() {
        assert_eq!(check_digit(&digits("3312001")), 5);
        assert_eq!(check_digit(&digits("0113001")), 2);
        assert_eq!(check_digit(&digits("13101")), 1);
        assert_eq!(check_digit(&digits("3913100")), 8);
        assert_eq!(check_digit(&digits("0613001")), 7);
        assert_eq!(check_digit(&digits("13104")), 5);
        assert_eq!(check_digit(&digits("1213001")), 9);
        assert_eq!(check_digit(&digits("123456")), 6);
        assert_eq!(check_digit(&digits("011011371")), 9);
        assert_eq!(check_digit(&digits("134123456")), 3);
        assert_eq!(check_digit(&digits("136123456")), 8);
    }

    #[test]
    fn catches_every_single_digit_change() {
        let body = digits("0113001");
        let good = check_digit(&body);
        for pos in 0..body.len() {
            for d in 0..10u8 {
                if d == body[pos] {
                    continue;
                }
                let mut changed = body.clone();
                changed[pos] = d;
                assert_ne!(check_digit(&changed), good, "position {pos} digit {d}");
            }
        }
    }
}
