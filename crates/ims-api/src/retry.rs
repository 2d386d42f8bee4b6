//! When a failed call of a client job is sent again, and whether its slot waits for it.
//!
//! Two kinds of failure look alike on the wire (a 5xx, a dropped connection, a deadline):
//! - the service is down or overwhelmed, and answers nothing else: waiting longer each time
//!   and keeping the slot busy meanwhile keeps the console from pressing it;
//! - a passing failure while the service answers the other calls (Glance on SQLite answers
//!   500 "database is locked" at once when two writes meet): the call is put back in the queue
//!   for a short while and its slot takes the next call, so the job loses no time to it.

use std::collections::VecDeque;

use crate::ApiError;

/// The first wait before a call that failed while the service answered nothing else.
pub const RETRY_FIRST_MS: u32 = 400;
/// The wait before a call that failed while the service answered other calls.
pub const RETRY_PASSING_MS: u32 = 100;
/// Tries after the first, for failures that are not throttling.
pub const RETRIES: u32 = 3;
/// Throttled answers a call waits out before it gives up.
pub const THROTTLED_TRIES: u32 = 8;

/// The wait before the next try of a call that failed. `previous_ms`: the wait before this
/// try, if it was a retry. While the service answers nothing the wait triples; when it
/// answered other calls since this one was sent, the failure was a passing one.
pub fn next_retry_ms(previous_ms: Option<u32>, answered_meanwhile: bool) -> u32 {
    match (answered_meanwhile, previous_ms) {
        (true, _) => RETRY_PASSING_MS,
        (false, None) => RETRY_FIRST_MS,
        (false, Some(p)) => p.saturating_mul(3).max(RETRY_FIRST_MS),
    }
}

/// What to do after a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// The service asked to slow down: the slot waits this long, then sends again.
    Throttled { wait_ms: u32 },
    /// The service answers nothing else: the slot waits this long, then sends again.
    Hold { wait_ms: u32 },
    /// A passing failure: the call goes back in the queue, due in this long.
    Requeue { wait_ms: u32 },
    /// Not worth another try: the failure is the call's result.
    GiveUp,
}

/// The tries of one call so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attempts {
    outages: u32,
    throttled: u32,
    last_wait_ms: Option<u32>,
}

impl Attempts {
    /// After the call failed with `e`. `answered_meanwhile`: other calls of the job were
    /// answered while this one was in flight.
    pub fn after_failure(&mut self, e: &ApiError, answered_meanwhile: bool) -> Retry {
        if e.is_throttled() && self.throttled < THROTTLED_TRIES {
            self.throttled += 1;
            let wait_ms = e
                .retry_after_s()
                .map_or(1000 * self.throttled, |s| s.saturating_mul(1000));
            return Retry::Throttled { wait_ms };
        }
        if !e.is_retryable() || self.outages >= RETRIES {
            return Retry::GiveUp;
        }
        self.outages += 1;
        let wait_ms = next_retry_ms(self.last_wait_ms, answered_meanwhile);
        self.last_wait_ms = Some(wait_ms);
        if answered_meanwhile {
            Retry::Requeue { wait_ms }
        } else {
            Retry::Hold { wait_ms }
        }
    }
}

/// The calls of a job not yet sent, and those put back to be sent again once due.
#[derive(Debug)]
pub struct CallQueue<T> {
    fresh: VecDeque<T>,
    /// (due at, call), in no particular order: there are few.
    back: Vec<(f64, T)>,
}

/// What a free slot should do next.
#[derive(Debug, PartialEq)]
pub enum Next<T> {
    Send(T),
    /// Nothing to send until a call put back is due, in this many milliseconds.
    Wait(f64),
    /// Nothing left in the queue.
    Empty,
}

impl<T> CallQueue<T> {
    pub fn new(calls: impl IntoIterator<Item = T>) -> Self {
        Self {
            fresh: calls.into_iter().collect(),
            back: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.fresh.len() + self.back.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Puts `call` back, to be sent again at `due_ms`.
    pub fn put_back(&mut self, call: T, due_ms: f64) {
        self.back.push((due_ms, call));
    }

    /// A call put back goes first once due, so the job does not end on it; then the calls in
    /// the order given.
    pub fn next(&mut self, now_ms: f64) -> Next<T> {
        let earliest = self
            .back
            .iter()
            .enumerate()
            .min_by(|a, b| a.1 .0.total_cmp(&b.1 .0))
            .map(|(i, (due, _))| (i, *due));
        if let Some((i, due)) = earliest {
            if due <= now_ms {
                return Next::Send(self.back.swap_remove(i).1);
            }
        }
        if let Some(call) = self.fresh.pop_front() {
            return Next::Send(call);
        }
        match earliest {
            Some((_, due)) => Next::Wait(due - now_ms),
            None => Next::Empty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn http(status: u16, retry_after_s: Option<u32>) -> ApiError {
        ApiError::Http {
            status,
            code: None,
            message: String::new(),
            request_id: None,
            retry_after_s,
        }
    }

    #[test]
    fn a_retry_waits_three_times_longer_while_the_service_answers_nothing() {
        assert_eq!(next_retry_ms(None, false), RETRY_FIRST_MS);
        assert_eq!(next_retry_ms(Some(400), false), 1200);
        assert_eq!(next_retry_ms(Some(1200), false), 3600);
        assert_eq!(
            next_retry_ms(Some(RETRY_PASSING_MS), false),
            RETRY_FIRST_MS,
            "never shorter than the first wait once the service went quiet"
        );
    }

    #[test]
    fn a_retry_waits_the_short_wait_when_other_calls_were_answered_meanwhile() {
        assert_eq!(next_retry_ms(None, true), RETRY_PASSING_MS);
        assert_eq!(next_retry_ms(Some(3600), true), RETRY_PASSING_MS);
    }

    #[test]
    fn a_passing_failure_puts_the_call_back_and_an_outage_holds_the_slot() {
        let mut a = Attempts::default();
        assert_eq!(
            a.after_failure(&http(500, None), true),
            Retry::Requeue {
                wait_ms: RETRY_PASSING_MS
            }
        );
        assert_eq!(
            a.after_failure(&http(503, None), false),
            Retry::Hold { wait_ms: 400 }
        );
        assert_eq!(
            a.after_failure(&http(503, None), false),
            Retry::Hold { wait_ms: 1200 }
        );
        assert_eq!(
            a.after_failure(&http(503, None), true),
            Retry::GiveUp,
            "three retries at most"
        );
    }

    #[test]
    fn errors_that_another_try_cannot_mend_give_up_at_once() {
        let mut a = Attempts::default();
        assert_eq!(a.after_failure(&http(400, None), true), Retry::GiveUp);
        let forbidden = ApiError::Unauthorized {
            message: String::new(),
            request_id: None,
        };
        assert_eq!(a.after_failure(&forbidden, false), Retry::GiveUp);
    }

    #[test]
    fn throttling_waits_as_long_as_asked_up_to_eight_times_without_using_the_retries() {
        let mut a = Attempts::default();
        assert_eq!(
            a.after_failure(&http(429, Some(2)), true),
            Retry::Throttled { wait_ms: 2000 }
        );
        assert_eq!(
            a.after_failure(&http(429, None), true),
            Retry::Throttled { wait_ms: 2000 },
            "without Retry-After: one more second each time"
        );
        for _ in 2..THROTTLED_TRIES {
            assert!(matches!(
                a.after_failure(&http(429, None), true),
                Retry::Throttled { .. }
            ));
        }
        assert_eq!(
            a.after_failure(&http(429, None), true),
            Retry::Requeue {
                wait_ms: RETRY_PASSING_MS
            },
            "a ninth 429 counts as an outage"
        );
    }

    #[test]
    fn a_call_put_back_waits_until_due_then_goes_before_the_fresh_ones() {
        let mut q = CallQueue::new(["a", "b"]);
        assert_eq!(q.next(0.0), Next::Send("a"));
        q.put_back("a", 100.0);
        assert_eq!(q.next(50.0), Next::Send("b"));
        assert_eq!(q.next(60.0), Next::Wait(40.0));
        assert_eq!(q.next(100.0), Next::Send("a"));
        assert_eq!(q.next(100.0), Next::Empty);
    }

    #[test]
    fn the_earliest_due_call_goes_first() {
        let mut q = CallQueue::new(Vec::<&str>::new());
        q.put_back("late", 300.0);
        q.put_back("early", 200.0);
        assert_eq!(q.next(250.0), Next::Send("early"));
        assert_eq!(q.next(250.0), Next::Wait(50.0));
    }

    proptest! {
        #[test]
        fn every_call_comes_out_once_however_often_it_is_put_back(
            n in 0usize..50,
            backs in proptest::collection::vec((0usize..50, 0u32..500), 0..40),
        ) {
            let mut q = CallQueue::new(0..n);
            let (mut now, mut done, mut backs) = (0.0, Vec::new(), backs.into_iter());
            loop {
                match q.next(now) {
                    Next::Send(c) => match backs.next() {
                        Some((_, wait)) => q.put_back(c, now + f64::from(wait)),
                        None => done.push(c),
                    },
                    Next::Wait(ms) => {
                        prop_assert!(ms > 0.0);
                        now += ms;
                    }
                    Next::Empty => break,
                }
            }
            done.sort_unstable();
            prop_assert_eq!(done, (0..n).collect::<Vec<_>>());
        }
    }
}
