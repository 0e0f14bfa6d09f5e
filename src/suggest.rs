//! The declared names worth suggesting for an unknown one: what `barekey_env!` and a
//! selection (`--only`, `Builder::only`) say after "did you mean".

/// The most names suggested for an unknown one.
const MAX_SUGGESTIONS: usize = 3;

/// The fewest characters a name must share by containment to be suggested: fewer would make
/// `ID` or `A` suggest half the manifest.
const MIN_CONTAINED: usize = 3;

/// Up to three of `candidates` closest to `name` by edit distance (a swap of two neighbouring
/// letters counts as one edit), closest first, ties in byte order.
///
/// Case is ignored when measuring, so `port` finds `PORT`. A candidate further than a third of
/// the name's length (at least 2 edits) is suggested only when one of the two contains the
/// other (of at least three characters): a renamed `QUEUE_URL` finds `JOB_QUEUE_URL`, and
/// `DATABASE_URL_PRIMARY` finds `DATABASE_URL`; anything else would be a guess.
pub fn closest_names<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Vec<&'c str> {
    let wanted = name.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let contains = |a: &str, b: &str| b.chars().count() >= MIN_CONTAINED && a.contains(b);
    let mut scored: Vec<(usize, &str)> = candidates
        .filter_map(|candidate| {
            let lower = candidate.to_lowercase();
            let distance = strsim::osa_distance(&wanted, &lower);
            let related = contains(&lower, &wanted) || contains(&wanted, &lower);
            (distance <= limit || related).then_some((distance, candidate))
        })
        .collect();
    scored.sort_unstable();
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, candidate)| candidate)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_the_closest_three_ignoring_case() {
        let names = [
            "PORT",
            "PORT_ALT",
            "HOST",
            "POST",
            "SORT",
            "PART",
            "DATABASE_URL",
        ];
        let closest = |name| closest_names(name, names.into_iter());
        // A swap of two letters is one edit; SORT is three edits from PROT, too far.
        assert_eq!(closest("PROT"), ["PORT", "PART", "POST"]);
        // Four names are within two edits of PORTX; the three closest are kept.
        assert_eq!(closest("PORTX"), ["PORT", "PART", "POST"]);
        assert_eq!(closest("port"), ["PORT", "PART", "POST"]);
        assert_eq!(closest("DATABASE_UR"), ["DATABASE_URL"]);
        // PORT is three edits away, but PORT_AL contains it.
        assert_eq!(closest("PORT_AL"), ["PORT_ALT", "PORT"]);
        assert!(closest("SOMETHING_ELSE").is_empty());
        assert!(closest_names("PORT", std::iter::empty()).is_empty());
    }

    #[test]
    fn a_name_contained_in_another_or_containing_it_is_suggested() {
        let names = ["JOB_QUEUE_URL", "DATABASE_URL", "QUEUE", "BATCH_SIZE", "A"];
        let closest = |name| closest_names(name, names.into_iter());
        // Renamed: four edits from QUEUE_URL, too many to be a typo, but it holds the old name.
        assert_eq!(closest("QUEUE_URL"), ["JOB_QUEUE_URL", "QUEUE"]);
        assert_eq!(closest("database_url_primary"), ["DATABASE_URL"]);
        assert_eq!(closest("SIZE"), ["BATCH_SIZE"]);
        // `A` is too short to tell anything by; the names holding `URL` are worth a look.
        assert!(closest("A_B_C_D_E_F").is_empty());
        assert_eq!(closest("URL"), ["DATABASE_URL", "JOB_QUEUE_URL"]);
    }
}
