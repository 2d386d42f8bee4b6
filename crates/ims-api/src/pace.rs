//! The pace of native calls: how many may be in flight, from the connection's protocol, the
//! service's answers and its throttling. Used by the client jobs of the Glance flavor.

/// Browsers open at most six HTTP/1.1 connections to one origin.
pub const HTTP1_CONNECTIONS_PER_ORIGIN: usize = 6;

/// The most native calls worth having in flight over a connection that speaks `protocol`
/// (the browser's `nextHopProtocol`): over HTTP/1.1 more than six only queue inside the
/// browser, where they spend their deadline waiting; HTTP/2 and 3 multiplex, so the
/// configured number holds. Unknown: the configured number.
pub fn connection_ceiling(configured: usize, protocol: &str) -> usize {
    let configured = configured.max(1);
    match protocol {
        "http/1.1" | "http/1.0" => configured.min(HTTP1_CONNECTIONS_PER_ORIGIN),
        _ => configured,
    }
}

/// How many native calls may be in flight. It starts at one and, as TCP's slow start, adds
/// one with each answer that found no queue, so the first answers show how fast the service
/// answers a call that waits for no other: starting at the ceiling, every answer would have
/// waited behind others, and the fastest seen would be a queued one. Then two signals, as TCP
/// has them:
/// - loss: a throttled answer (429) halves the limit (multiplicative decrease);
/// - delay (TCP Vegas): an answer slower than the fastest seen by a factor means calls queue
///   in the service. `in flight × (1 − fastest / latency)` estimates how many; above
///   [`QUEUED_HIGH`] a full round of answers takes one call off, below [`QUEUED_LOW`] it adds
///   one, up to the ceiling. A service whose writes take a lock (Glance on SQLite) so settles
///   at a few calls in flight, before it starts to fail; one that answers as fast with more
///   keeps the ceiling.
#[derive(Clone, Debug, PartialEq)]
pub struct Pace {
    limit: f64,
    ceiling: f64,
    fastest_ms: f64,
    pub in_flight: usize,
    /// Successful answers so far, to every call of the job.
    answered: u64,
    /// Until the first answer that found calls queued ahead of it.
    slow_start: bool,
}

/// Calls estimated waiting in the service above which fewer are sent. About one waiting call
/// keeps a one-at-a-time service busy; each more only waits, and on Glance with SQLite two
/// writes that meet fail (500 "database is locked"). Measured there at 300 s token cache,
/// 200 shares: with 2.0 and 1.0 the console kept 3–4 in flight and met 13–30 such 500s a
/// job; with 1.5 and 0.5, 2–3 in flight and 4–12.
pub const QUEUED_HIGH: f64 = 1.5;
/// Calls estimated waiting in the service below which more are sent.
pub const QUEUED_LOW: f64 = 0.5;

impl Pace {
    pub fn new(ceiling: usize) -> Self {
        let ceiling = ceiling.max(1) as f64;
        Self {
            limit: 1.0,
            ceiling,
            fastest_ms: f64::INFINITY,
            in_flight: 0,
            answered: 0,
            slow_start: true,
        }
    }

    /// Successful answers so far.
    pub fn answered(&self) -> u64 {
        self.answered
    }

    /// Calls allowed in flight now.
    pub fn limit(&self) -> usize {
        self.limit.floor().max(1.0) as usize
    }

    pub fn may_start(&self) -> bool {
        self.in_flight < self.limit()
    }

    pub fn on_throttled(&mut self) {
        self.slow_start = false;
        self.limit = (self.limit / 2.0).max(1.0);
    }

    /// A success whose answer took `latency_ms`.
    pub fn on_success(&mut self, latency_ms: f64) {
        self.answered += 1;
        self.adjust(latency_ms);
    }

    /// A failure that came back (an error status, a refused connection) after `latency_ms`.
    /// It says as much about queueing as a success: without it, a job whose calls all fail
    /// would stay at one call in flight, and find out about an outage one call at a time.
    /// A call that ran out of its deadline says nothing of the kind, and is not counted.
    pub fn on_failure_answered(&mut self, latency_ms: f64) {
        self.adjust(latency_ms);
    }

    fn adjust(&mut self, latency_ms: f64) {
        let latency = latency_ms.max(0.1);
        self.fastest_ms = self.fastest_ms.min(latency);
        // The calls in flight when it was answered, itself included.
        let queued = self.in_flight.max(1) as f64 * (1.0 - self.fastest_ms / latency);
        if self.slow_start {
            if queued < QUEUED_LOW {
                self.limit = (self.limit + 1.0).min(self.ceiling);
            } else {
                self.slow_start = false;
            }
            return;
        }
        let step = 1.0 / self.limit;
        if queued > QUEUED_HIGH {
            self.limit = (self.limit - step).max(1.0);
        } else if queued < QUEUED_LOW {
            self.limit = (self.limit + step).min(self.ceiling);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{connection_ceiling, Pace};

    #[test]
    fn successes_are_counted() {
        let mut p = Pace::new(4);
        p.on_success(10.0);
        p.on_success(12.0);
        p.on_throttled();
        assert_eq!(p.answered(), 2);
    }

    #[test]
    fn failures_that_come_back_widen_the_pace_as_successes_do_but_are_not_counted_as_answers() {
        let mut p = Pace::new(4);
        p.in_flight = 1;
        for _ in 0..3 {
            p.on_failure_answered(5.0);
        }
        assert_eq!(p.limit(), 4);
        assert_eq!(p.answered(), 0);
    }

    #[test]
    fn http1_caps_the_calls_in_flight_at_six_and_http2_keeps_the_configured_number() {
        assert_eq!(connection_ceiling(8, "http/1.1"), 6);
        assert_eq!(connection_ceiling(4, "http/1.1"), 4);
        assert_eq!(connection_ceiling(16, "h2"), 16);
        assert_eq!(connection_ceiling(16, "h3"), 16);
        assert_eq!(connection_ceiling(8, ""), 8);
        assert_eq!(connection_ceiling(0, "h2"), 1);
    }

    #[test]
    fn it_starts_at_one_and_each_answer_that_found_no_queue_adds_one() {
        let mut p = Pace::new(8);
        assert_eq!(p.limit(), 1);
        for expected in [2, 4, 8] {
            p.in_flight = p.limit();
            for _ in 0..p.in_flight {
                p.on_success(10.0);
            }
            assert_eq!(p.limit(), expected, "doubles with each round of answers");
        }
        p.on_success(10.0);
        assert_eq!(p.limit(), 8, "never past the ceiling");
    }

    /// A pace that answers of `latency_ms` with one call in flight have taken to `ceiling`.
    fn at_the_ceiling(ceiling: usize, latency_ms: f64) -> Pace {
        let mut p = Pace::new(ceiling);
        p.in_flight = 1;
        for _ in 1..ceiling {
            p.on_success(latency_ms);
        }
        assert_eq!(p.limit(), ceiling);
        p
    }

    #[test]
    fn throttling_halves_down_to_one_and_successes_climb_back() {
        let mut p = at_the_ceiling(8, 20.0);
        p.on_throttled();
        assert_eq!(p.limit(), 4);
        for _ in 0..5 {
            p.on_throttled();
        }
        assert_eq!(p.limit(), 1);
        p.on_success(20.0);
        assert_eq!(
            p.limit(),
            2,
            "after a throttle, one more per round of answers"
        );
        for _ in 0..100 {
            p.on_success(20.0);
        }
        assert_eq!(p.limit(), 8, "never past the ceiling");
    }

    /// A service that handles one call at a time: each answer waits for the calls ahead of
    /// it, so latency = calls in flight × service time.
    fn serialised(p: &mut Pace, service_ms: f64, answers: usize) {
        for _ in 0..answers {
            p.in_flight = p.limit();
            p.on_success(p.in_flight as f64 * service_ms);
        }
    }

    #[test]
    fn answers_that_slow_down_with_more_in_flight_bring_the_limit_down() {
        let mut p = Pace::new(8);
        serialised(&mut p, 10.0, 200);
        let settled = p.limit();
        assert!(
            (2..=3).contains(&settled),
            "a one-at-a-time service keeps 2 or 3 in flight, not {settled}"
        );
    }

    #[test]
    fn a_pace_that_has_left_its_start_at_the_ceiling_comes_down_to_what_the_service_allows() {
        let mut p = at_the_ceiling(8, 10.0);
        serialised(&mut p, 10.0, 200);
        assert!((2..=3).contains(&p.limit()));
    }

    #[test]
    fn answers_as_fast_at_any_width_keep_the_ceiling() {
        let mut p = Pace::new(8);
        p.in_flight = 8;
        for _ in 0..200 {
            p.on_success(10.0);
        }
        assert_eq!(p.limit(), 8);
        p.on_throttled();
        for _ in 0..200 {
            p.on_success(10.0);
        }
        assert_eq!(p.limit(), 8, "climbs back after a halving");
    }

    #[test]
    fn a_full_slot_count_blocks_starting() {
        let mut p = Pace::new(2);
        p.on_success(10.0);
        assert_eq!(p.limit(), 2);
        p.in_flight = 2;
        assert!(!p.may_start());
        p.in_flight = 1;
        assert!(p.may_start());
    }
}
