//! The performance goals `cargo xtask bench` measures against, each with the figure of this
//! run, whether it is met and, when it is not, by how far.

/// First load on the wire, html + js + wasm + css, brotli.
pub const FIRST_LOAD_GOAL_BYTES: u64 = 120_000;
/// The console's cold start as a share of Skyline's.
pub const COLD_START_GOAL: f64 = 0.10;
/// The console's batch share as a share of the raw floor's rate, in each token-cache setting.
pub const SHARE_GOAL: f64 = 0.90;

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT MET"
    }
}

pub fn first_load(bytes: u64) -> String {
    let met = bytes <= FIRST_LOAD_GOAL_BYTES;
    let off = if met {
        String::new()
    } else {
        format!(
            " ({} B over, {:.2}x the goal)",
            bytes - FIRST_LOAD_GOAL_BYTES,
            bytes as f64 / FIRST_LOAD_GOAL_BYTES as f64
        )
    };
    format!(
        "1. first load (brotli): {bytes} B, goal <= {FIRST_LOAD_GOAL_BYTES} B: {}{off}",
        verdict(met)
    )
}

/// `ways`: each way of serving the console with its median; every one must meet the goal.
pub fn cold_start(skyline_ms: f64, ways: &[(&str, f64)]) -> String {
    let ratios: Vec<String> = ways
        .iter()
        .map(|(name, ms)| format!("{name} {ms:.0} ms = {:.3}x", ms / skyline_ms))
        .collect();
    let met = ways
        .iter()
        .all(|(_, ms)| ms / skyline_ms <= COLD_START_GOAL);
    format!(
        "2. cold start against Skyline's {skyline_ms:.0} ms: {}, goal <= {COLD_START_GOAL:.2}x: {}",
        ratios.join(", "),
        verdict(met)
    )
}

/// A ratio of rates is the inverse ratio of times: `floor_ms / console_ms`.
pub fn share(setting: &str, floor_ms: f64, ways: &[(&str, f64)]) -> String {
    let ratios: Vec<String> = ways
        .iter()
        .map(|(name, ms)| format!("{name} {:.3}x", floor_ms / ms))
        .collect();
    let met = ways.iter().all(|(_, ms)| floor_ms / ms >= SHARE_GOAL);
    format!(
        "3. batch share, {setting}: the console {} the floor, goal >= {SHARE_GOAL:.2}x: {}",
        ratios.join(", "),
        verdict(met)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_load_over_the_goal_says_by_how_much() {
        assert_eq!(
            first_load(306_876),
            "1. first load (brotli): 306876 B, goal <= 120000 B: NOT MET (186876 B over, 2.56x the goal)"
        );
        assert!(first_load(120_000).ends_with(": met"));
    }

    #[test]
    fn cold_start_is_met_only_when_every_way_of_serving_is_within_the_goal() {
        let line = cold_start(800.0, &[("direct", 80.0), ("nginx", 96.0)]);
        assert!(line.contains("direct 80 ms = 0.100x, nginx 96 ms = 0.120x"));
        assert!(line.ends_with("NOT MET"));
        assert!(cold_start(800.0, &[("direct", 80.0), ("nginx", 72.0)]).ends_with(": met"));
    }

    #[test]
    fn share_compares_rates_so_a_slower_console_has_a_ratio_below_one() {
        let line = share(
            "token_cache_time -1",
            17_353.0,
            &[("direct", 20_797.0), ("nginx", 19_752.0)],
        );
        assert!(line.contains("direct 0.834x, nginx 0.879x"));
        assert!(line.ends_with("NOT MET"));
        assert!(share("token_cache_time 300", 4_032.0, &[("direct", 3_556.0)]).ends_with(": met"));
    }
}
