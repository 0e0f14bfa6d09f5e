//! A/B and rollout decisions, computed exactly as the Barekey service computes them.
//!
//! A decision is deterministic for a given `seed` and `key` (a user id, a session), so the same
//! user always lands in the same arm: the bucket is the first four bytes of
//! `SHA-256("{kind}:{name}:{seed}:{key}")` read as a big-endian `u32`, divided by 2^32. With
//! neither a seed nor a key, the decision is random.
//!
//! ```
//! use barekey_typegen_runtime::{Arm, ab_roll_arm, bucket, DecisionKind};
//!
//! let bucket = bucket(DecisionKind::AbRoll, "CHECKOUT_FLOW", Some("user-42"), Some("checkout-v1"));
//! assert_eq!(bucket, Some(0.8045196561142802));
//! // `chance` is the probability of arm A.
//! assert_eq!(ab_roll_arm("CHECKOUT_FLOW", 0.5, Some("user-42"), Some("checkout-v1")), Arm::B);
//! ```

use std::fmt;
use std::hash::{BuildHasher as _, RandomState};

use sha2::{Digest as _, Sha256};

use crate::{Arm, Milestone, RolloutFunction, Timestamp};
use barekey_typegen_shared::js::trim as js_trim;

/// Which kind of switch a bucket is computed for; part of the hashed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecisionKind {
    /// An A/B switch (`ab_roll`).
    AbRoll,
    /// A gradual rollout (`rollout`).
    Rollout,
}

impl DecisionKind {
    /// The wire name, as hashed: `ab_roll` or `rollout`.
    pub const fn as_str(self) -> &'static str {
        match self {
            DecisionKind::AbRoll => "ab_roll",
            DecisionKind::Rollout => "rollout",
        }
    }
}

/// The deterministic bucket in `[0, 1)` for this variable, seed and key; `None` when both the
/// seed and the key are empty after trimming (the service then decides at random). Both are
/// trimmed as JavaScript trims (`String.prototype.trim`), as the service trims them.
pub fn bucket(
    kind: DecisionKind,
    name: &str,
    seed: Option<&str>,
    key: Option<&str>,
) -> Option<f64> {
    let seed = js_trim(seed.unwrap_or_default());
    let key = js_trim(key.unwrap_or_default());
    if seed.is_empty() && key.is_empty() {
        return None;
    }
    let digest = Sha256::digest(format!("{}:{name}:{seed}:{key}", kind.as_str()));
    let first = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    Some(f64::from(first) / 4_294_967_296.0)
}

/// The arm `bucket` selects for a switch of `kind` with this `chance` (from 0 to 1): below the
/// chance an `ab_roll` selects A, a `rollout` selects B.
///
/// ```
/// use barekey_typegen_runtime::{Arm, DecisionKind, arm_for_bucket};
///
/// assert_eq!(arm_for_bucket(DecisionKind::AbRoll, 0.2, 0.5), Arm::A);
/// assert_eq!(arm_for_bucket(DecisionKind::Rollout, 0.2, 0.5), Arm::B);
/// ```
pub fn arm_for_bucket(kind: DecisionKind, bucket: f64, chance: f64) -> Arm {
    match (kind, bucket < chance) {
        (DecisionKind::AbRoll, true) | (DecisionKind::Rollout, false) => Arm::A,
        (DecisionKind::AbRoll, false) | (DecisionKind::Rollout, true) => Arm::B,
    }
}

/// The arm of an `ab_roll` variable whose probability of A is `chance` (from 0 to 1).
pub fn ab_roll_arm(name: &str, chance: f64, seed: Option<&str>, key: Option<&str>) -> Arm {
    let bucket = bucket(DecisionKind::AbRoll, name, seed, key).unwrap_or_else(random_bucket);
    arm_for_bucket(DecisionKind::AbRoll, bucket, chance)
}

/// The arm of a `rollout` variable at `now`: B for the share of buckets the schedule has
/// reached (see [`rollout_percentage`]), or why the service refuses the schedule.
pub fn rollout_arm(
    name: &str,
    function: RolloutFunction,
    milestones: &[Milestone],
    now: Timestamp,
    seed: Option<&str>,
    key: Option<&str>,
) -> Result<Arm, ScheduleError> {
    let chance = rollout_percentage(function, milestones, now)? / 100.0;
    let bucket = bucket(DecisionKind::Rollout, name, seed, key).unwrap_or_else(random_bucket);
    Ok(arm_for_bucket(DecisionKind::Rollout, bucket, chance))
}

/// Why the service refuses a rollout schedule: such a rollout has no decision, never a guessed
/// one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScheduleError {
    /// The schedule has no milestones.
    Empty,
    /// Milestone `index` (from 0) is not strictly later than the one before it.
    NotIncreasing {
        /// The milestone's position in the schedule, from 0.
        index: usize,
    },
    /// Milestone `index`'s percentage is outside 0 to 100, or not a number.
    PercentageOutOfRange {
        /// The milestone's position in the schedule, from 0.
        index: usize,
    },
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleError::Empty => f.write_str(
                "the rollout schedule has no milestones; give the rollout at least one in Barekey",
            ),
            ScheduleError::NotIncreasing { index } => write!(
                f,
                "rollout milestone {index} is not later than the one before it; milestones must be in strictly increasing time order"
            ),
            ScheduleError::PercentageOutOfRange { index } => write!(
                f,
                "rollout milestone {index} has a percentage outside 0 to 100; set one from 0 to 100"
            ),
        }
    }
}

impl std::error::Error for ScheduleError {}

/// Checks `milestones` as the service does: at least one, instants strictly increasing, every
/// percentage finite and from 0 to 100.
fn check_schedule(milestones: &[Milestone]) -> Result<(), ScheduleError> {
    if milestones.is_empty() {
        return Err(ScheduleError::Empty);
    }
    for (index, milestone) in milestones.iter().enumerate() {
        // `contains` is false for NaN, so a NaN percentage is refused too.
        if !(0.0..=100.0).contains(&milestone.percentage) {
            return Err(ScheduleError::PercentageOutOfRange { index });
        }
        let earlier = index.checked_sub(1).map(|before| milestones[before].at);
        if earlier.is_some_and(|earlier| earlier >= milestone.at) {
            return Err(ScheduleError::NotIncreasing { index });
        }
    }
    Ok(())
}

/// The rollout's percentage (0 to 100) at `now`: 0 before the first milestone, the last one's
/// after the last, and between two milestones the `function`'s curve from the earlier
/// percentage to the later. A schedule the service refuses (see [`ScheduleError`]) has none.
pub fn rollout_percentage(
    function: RolloutFunction,
    milestones: &[Milestone],
    now: Timestamp,
) -> Result<f64, ScheduleError> {
    check_schedule(milestones)?;
    let now = now.unix_millis();
    let Some(first) = milestones.first() else {
        return Err(ScheduleError::Empty);
    };
    if now < first.at.unix_millis() {
        return Ok(0.0);
    }
    for pair in milestones.windows(2) {
        let (from, to) = (&pair[0], &pair[1]);
        let (start, end) = (from.at.unix_millis(), to.at.unix_millis());
        if now >= start && now < end {
            // Millisecond instants fit an f64 exactly for the next quarter-million years.
            let p = (now - start) as f64 / (end - start) as f64;
            let eased = match function {
                RolloutFunction::Linear => p,
                RolloutFunction::Step => 0.0,
                RolloutFunction::EaseInOut => p * p * (3.0 - 2.0 * p),
            };
            return Ok(from.percentage + (to.percentage - from.percentage) * eased);
        }
    }
    Ok(milestones.last().map_or(0.0, |last| last.percentage))
}

/// A uniformly random bucket in `[0, 1)` for decisions without a seed or key. Not for secrets:
/// std's randomly keyed hasher is enough to split traffic.
fn random_bucket() -> f64 {
    let bits = RandomState::new().hash_one(std::time::SystemTime::now());
    (bits >> 11) as f64 / (1_u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn schedule() -> Vec<Milestone> {
        vec![
            Milestone::new(at("2026-03-01T00:00:00Z"), 0.0),
            Milestone::new(at("2026-03-11T00:00:00Z"), 40.0),
            Milestone::new(at("2026-03-21T00:00:00Z"), 100.0),
        ]
    }

    #[test]
    fn buckets_match_the_service_test_vectors() {
        let vectors = [
            (
                DecisionKind::AbRoll,
                "CHECKOUT_FLOW",
                "user-42",
                "checkout-v1",
                0.8045196561142802,
            ),
            (
                DecisionKind::AbRoll,
                "CHECKOUT_FLOW",
                "user-42",
                "",
                0.49866920965723693,
            ),
            (
                DecisionKind::Rollout,
                "NEW_DASHBOARD",
                "",
                "user_abc",
                0.6583266474772245,
            ),
        ];
        for (kind, name, seed, key, expected) in vectors {
            assert_eq!(
                bucket(kind, name, Some(seed), Some(key)),
                Some(expected),
                "{name}"
            );
        }
        // Seed and key are trimmed, and an absent one is the empty string.
        assert_eq!(
            bucket(
                DecisionKind::AbRoll,
                "CHECKOUT_FLOW",
                Some(" user-42 "),
                None
            ),
            Some(0.49866920965723693)
        );
        assert_eq!(bucket(DecisionKind::AbRoll, "X", Some("  "), None), None);
    }

    #[test]
    fn ab_roll_chance_is_the_probability_of_a() {
        let arm = |chance| {
            ab_roll_arm(
                "CHECKOUT_FLOW",
                chance,
                Some("user-42"),
                Some("checkout-v1"),
            )
        };
        assert_eq!(arm(0.80), Arm::B);
        assert_eq!(arm(0.81), Arm::A);
        assert_eq!(arm(0.0), Arm::B);
        assert_eq!(arm(1.0), Arm::A);
    }

    #[test]
    fn rollout_selects_b_below_the_percentage_reached() {
        let milestones = [
            Milestone::new(at("2026-03-01T00:00:00Z"), 0.0),
            Milestone::new(at("2026-04-01T00:00:00Z"), 100.0),
        ];
        let arm = |now| {
            rollout_arm(
                "NEW_DASHBOARD",
                RolloutFunction::Linear,
                &milestones,
                at(now),
                None,
                Some("user_abc"),
            )
            .unwrap()
        };
        // The bucket is 0.658...: B once the linear ramp passes 65.8 %, about day 20.4 of 31.
        assert_eq!(arm("2026-03-21T00:00:00Z"), Arm::A);
        assert_eq!(arm("2026-03-22T00:00:00Z"), Arm::B);
        assert_eq!(arm("2026-02-01T00:00:00Z"), Arm::A);
        assert_eq!(arm("2027-01-01T00:00:00Z"), Arm::B);
    }

    #[test]
    fn each_rollout_function_before_between_and_after_the_milestones() {
        let milestones = schedule();
        let percentage =
            |function, now| rollout_percentage(function, &milestones, at(now)).unwrap();
        for function in [
            RolloutFunction::Linear,
            RolloutFunction::Step,
            RolloutFunction::EaseInOut,
        ] {
            assert_eq!(
                percentage(function, "2026-02-28T23:59:59.999Z"),
                0.0,
                "{function:?}"
            );
            assert_eq!(
                percentage(function, "2026-03-11T00:00:00Z"),
                40.0,
                "{function:?}"
            );
            assert_eq!(
                percentage(function, "2026-03-21T00:00:00Z"),
                100.0,
                "{function:?}"
            );
            assert_eq!(
                percentage(function, "2030-01-01T00:00:00Z"),
                100.0,
                "{function:?}"
            );
        }
        // A quarter of the way from 0 % to 40 %.
        let quarter = "2026-03-03T12:00:00Z";
        assert_eq!(percentage(RolloutFunction::Linear, quarter), 10.0);
        assert_eq!(percentage(RolloutFunction::Step, quarter), 0.0);
        // p = 0.25: p * p * (3 - 2p) = 0.15625, so 40 * 0.15625.
        assert_eq!(percentage(RolloutFunction::EaseInOut, quarter), 6.25);
        // Halfway between 40 % and 100 %: ease-in-out is symmetric.
        let half = "2026-03-16T00:00:00Z";
        assert_eq!(percentage(RolloutFunction::Linear, half), 70.0);
        assert_eq!(percentage(RolloutFunction::Step, half), 40.0);
        assert_eq!(percentage(RolloutFunction::EaseInOut, half), 70.0);
    }

    #[test]
    fn schedules_the_service_refuses_have_no_decision() {
        let now = at("2026-03-16T00:00:00Z");
        let check = |milestones: &[Milestone]| {
            let percentage = rollout_percentage(RolloutFunction::Linear, milestones, now);
            let arm = rollout_arm(
                "X",
                RolloutFunction::Linear,
                milestones,
                now,
                Some("s"),
                None,
            );
            assert_eq!(percentage.err(), arm.err());
            percentage.err()
        };
        assert_eq!(check(&[]), Some(ScheduleError::Empty));
        let first = at("2026-03-01T00:00:00Z");
        let same = [Milestone::new(first, 0.0), Milestone::new(first, 50.0)];
        assert_eq!(
            check(&same),
            Some(ScheduleError::NotIncreasing { index: 1 })
        );
        let mut backwards = schedule();
        backwards.swap(1, 2);
        assert_eq!(
            check(&backwards),
            Some(ScheduleError::NotIncreasing { index: 2 })
        );
        for percentage in [101.0, -0.5, f64::NAN, f64::INFINITY] {
            let milestones = [Milestone::new(first, 10.0), Milestone::new(now, percentage)];
            assert_eq!(
                check(&milestones),
                Some(ScheduleError::PercentageOutOfRange { index: 1 }),
                "{percentage}"
            );
        }
        assert_eq!(check(&[Milestone::new(first, 100.0)]), None);
        assert_eq!(check(&[Milestone::new(first, 0.0)]), None);
    }

    #[test]
    fn seeds_and_keys_are_trimmed_as_javascript_trims() {
        let bucket = |seed: &str| bucket(DecisionKind::AbRoll, "CHECKOUT_FLOW", Some(seed), None);
        assert_eq!(bucket("\u{FEFF}user-42\u{3000}"), Some(0.49866920965723693));
        assert_ne!(bucket("\u{85}user-42"), Some(0.49866920965723693));
        assert_eq!(bucket("\u{FEFF}"), None);
    }

    #[test]
    fn without_seed_or_key_the_decision_is_random_but_follows_the_chance() {
        let picks: Vec<Arm> = (0..2_000)
            .map(|_| ab_roll_arm("CHECKOUT_FLOW", 0.5, None, Some(" ")))
            .collect();
        let a = picks.iter().filter(|arm| **arm == Arm::A).count();
        // Binomial(2000, 0.5): below 800 or above 1200 has probability ~1e-18.
        assert!((800..=1200).contains(&a), "{a} of 2000 picked A");
        assert_eq!(ab_roll_arm("X", 1.0, None, None), Arm::A);
        assert_eq!(ab_roll_arm("X", 0.0, None, None), Arm::B);
    }
}
