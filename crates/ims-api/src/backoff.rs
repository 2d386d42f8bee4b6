//! One backoff policy for every wait before a next try: a first wait, kept for some tries,
//! then multiplied by a factor each time up to a ceiling. Reads, a client job's calls (an
//! outage, a passing failure) and job polls each choose their parameters below, so "how long
//! until the next try" is answered in one place. In integers (tenths for the factor): float
//! formatting would cost the wasm, and the waits are whole milliseconds anyway.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    pub first_ms: u32,
    /// The factor in tenths: 30 triples, 15 adds half.
    pub factor_tenths: u32,
    pub max_ms: u32,
    /// How many waits stay at `first_ms` before they grow.
    pub flat: u32,
}

impl Backoff {
    /// The wait before try `n` after the first failure (0 = the first retry).
    pub fn wait_ms(&self, n: u32) -> u32 {
        if n < self.flat {
            return self.first_ms.min(self.max_ms);
        }
        let mut wait = u64::from(self.first_ms);
        for _ in 0..(n - self.flat + 1) {
            wait = wait * u64::from(self.factor_tenths) / 10;
            if wait >= u64::from(self.max_ms) {
                return self.max_ms;
            }
        }
        wait as u32
    }
}

/// A read that met an outage, a deadline or throttling: 0.5 s, then 1.5 s (three tries in
/// all, `wait::READ_TRIES`).
pub const READS: Backoff = Backoff {
    first_ms: 500,
    factor_tenths: 30,
    max_ms: 60_000,
    flat: 1,
};

/// A client job's call while the service answers nothing else: 0.4 s, 1.2 s, 3.6 s; the slot
/// waits, keeping the console from pressing a service that is down.
pub const OUTAGES: Backoff = Backoff {
    first_ms: 400,
    factor_tenths: 30,
    max_ms: 60_000,
    flat: 1,
};

/// A client job's call that failed while the service answered others (a passing lock): back
/// in the queue after 0.1 s, doubling to 3.2 s.
pub const PASSING: Backoff = Backoff {
    first_ms: 100,
    factor_tenths: 20,
    max_ms: 3_200,
    flat: 1,
};

/// A server job's polls: every second for the first ten, then 1.5× longer each time up to
/// 10 s, so a slow job does not hammer the service.
pub const POLLS: Backoff = Backoff {
    first_ms: 1_000,
    factor_tenths: 15,
    max_ms: 10_000,
    flat: 10,
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_use_keeps_its_waits() {
        assert_eq!((READS.wait_ms(0), READS.wait_ms(1)), (500, 1_500));
        let outages: Vec<u32> = (0..3).map(|n| OUTAGES.wait_ms(n)).collect();
        assert_eq!(outages, vec![400, 1_200, 3_600]);
        let passing: Vec<u32> = (0..6).map(|n| PASSING.wait_ms(n)).collect();
        assert_eq!(passing, vec![100, 200, 400, 800, 1_600, 3_200]);
        assert_eq!((POLLS.wait_ms(0), POLLS.wait_ms(9)), (1_000, 1_000));
        assert_eq!((POLLS.wait_ms(10), POLLS.wait_ms(11)), (1_500, 2_250));
        assert_eq!(POLLS.wait_ms(40), 10_000);
    }

    proptest! {
        #[test]
        fn waits_never_shrink_and_never_pass_the_ceiling(
            first in 1u32..5_000, factor in 10u32..50, max in 1u32..100_000, flat in 0u32..12, n in 0u32..200,
        ) {
            let b = Backoff { first_ms: first, factor_tenths: factor, max_ms: max, flat };
            prop_assert!(b.wait_ms(n) <= max);
            prop_assert!(b.wait_ms(n + 1) >= b.wait_ms(n));
        }
    }
}
