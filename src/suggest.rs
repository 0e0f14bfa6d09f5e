//! The declared names worth suggesting for an unknown one: what `barekey_env!` and a
//! selection (`--only`, `Builder::only`) say after "did you mean".

/// The most names suggested for an unknown one.
const MAX_SUGGESTIONS: usize = 3;

/// Up to three of `candidates` closest to `name` by edit distance (a swap of two neighbouring
/// letters counts as one edit), closest first, ties in byte order.
///
/// Case is ignored when measuring, so `port` finds `PORT`; a candidate further than a third
/// of the name's length (at least 2 edits) is not suggested, as it would be a guess.
pub fn closest_names<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Vec<&'c str> {
    let wanted = name.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .map(|candidate| {
            let distance = strsim::osa_distance(&wanted, &candidate.to_lowercase());
            (distance, candidate)
        })
        .filter(|(distance, _)| *distance <= limit)
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
        assert_eq!(closest("PORT_AL"), ["PORT_ALT"]);
        assert!(closest("SOMETHING_ELSE").is_empty());
        assert!(closest_names("PORT", std::iter::empty()).is_empty());
    }
}
