//! 乱数 (the generator's randomness): ChaCha8 streams keyed by the population seed, a purpose and a
//! person or household index, so that any one person can be generated again on their own.

use onshi_core::jst::Date;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// What a stream is for; each purpose has its own key, so adding draws to one never shifts another.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    /// A block of four slots split into households (世帯).
    Household,
    /// One person's own details and medical history.
    Person,
    /// One person's given name (read by the whole household for 世帯主氏名).
    Name,
}

impl Purpose {
    fn key(self) -> u64 {
        match self {
            Self::Household => 0x6f6e_7368_6901,
            Self::Person => 0x6f6e_7368_6902,
            Self::Name => 0x6f6e_7368_6903,
        }
    }
}

/// A deterministic random stream.
pub struct Stream(ChaCha8Rng);

impl Stream {
    /// The stream of `purpose` for `index` under `seed`.
    pub fn new(seed: u64, purpose: Purpose, index: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ purpose.key().rotate_left(17));
        rng.set_stream(index);
        Self(rng)
    }

    /// A number in `0..n` (0 when `n` is 0). The modulo bias is below 2⁻⁴⁰ for the sizes used.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.0.next_u64() % n }
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi.saturating_sub(lo)) + 1) as u32
    }

    /// True with probability `per_mille` / 1000.
    pub fn chance(&mut self, per_mille: u32) -> bool {
        self.below(1000) < u64::from(per_mille)
    }

    /// One element of a non-empty slice (the first for an empty one is impossible: callers pass
    /// constant tables).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// An index chosen with the given weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            let w = u64::from(*w);
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }

    /// A day in `from..=until` (`from` when the range is empty).
    pub fn day_between(&mut self, from: Date, until: Date) -> Date {
        let (a, b) = (from.to_julian_day(), until.to_julian_day());
        if b <= a {
            return from;
        }
        let d = a + self.below((b - a + 1) as u64) as i32;
        Date::from_julian_day(d).unwrap_or(from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4)
            .map(|_| Stream::new(1, Purpose::Person, 5).below(1 << 40))
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut x = Stream::new(1, Purpose::Person, 5);
        let mut y = Stream::new(1, Purpose::Person, 6);
        let mut z = Stream::new(1, Purpose::Name, 5);
        let (x, y, z) = (x.below(1 << 40), y.below(1 << 40), z.below(1 << 40));
        assert_ne!(x, y);
        assert_ne!(x, z);
    }

    #[test]
    fn weighted_choice_stays_in_range() {
        let mut s = Stream::new(3, Purpose::Household, 0);
        for _ in 0..1000 {
            assert!(s.weighted(&[1, 0, 5]) != 1);
        }
        assert_eq!(s.below(0), 0);
        assert!(s.pick::<u8>(&[]).is_none());
    }
}
