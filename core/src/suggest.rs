//! The declared names worth suggesting for an unknown one: what `barekey_env!` and a
//! selection (`--only`, `Builder::only`) say after "did you mean".

/// The most names suggested for an unknown one.
const MAX_SUGGESTIONS: usize = 3;

/// The fewest characters a name must share by containment to be suggested: fewer would make
/// `ID` or `A` suggest half the manifest.
const MIN_CONTAINED: usize = 3;

/// A name longer than this many characters gets no suggestion: the service limits names to
/// 160 (the service's `typeScriptType` grammar), so such a name is no typo of a declared one.
const MAX_SUGGESTED_CHARS: usize = 200;

/// The most character pairs the edit distances of one suggestion may compare, in all: a
/// search of a manifest far bigger than any real one stops there (a quarter of a second in a
/// debug build; 1,007 names of 30 characters against a typo of 30 take under one million).
const MAX_COMPARED_PAIRS: usize = 5_000_000;

/// Up to three of `candidates` closest to `name` by edit distance (a swap of two neighbouring
/// letters counts as one edit), closest first, ties in byte order.
///
/// Case is ignored when measuring, so `port` finds `PORT`. A candidate further than a third of
/// the name's length (at least 2 edits) is suggested only when one of the two contains the
/// other (of at least three characters): a renamed `QUEUE_URL` finds `JOB_QUEUE_URL`, and
/// `DATABASE_URL_PRIMARY` finds `DATABASE_URL`; anything else would be a guess.
///
/// The work is bounded whatever the name's length and the manifest's size: a name longer than
/// 200 characters gets no suggestion, a candidate whose length alone puts it too far is not
/// measured, and the distances compare at most 5 million character pairs.
pub fn closest_names<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Vec<&'c str> {
    Suggester::new(name).closest(candidates)
}

/// [`closest_names`]' search, with its bounds. Why bounded: an edit distance costs the
/// product of the two lengths, so a 20,000-character unknown name against a 1,007-variable
/// manifest took a minute before a macro call failed. A candidate whose length alone puts it
/// past the limit is not measured (two texts are at least their length difference apart;
/// when one contains the other, exactly that), and the distances compare at most
/// [`MAX_COMPARED_PAIRS`] character pairs.
struct Suggester {
    /// The name, lowercased.
    wanted: String,
    /// Its length in characters.
    length: usize,
    /// The most edits a suggestion may be away, unless one name contains the other.
    limit: usize,
    /// Character pairs compared so far.
    compared: usize,
}

impl Suggester {
    fn new(name: &str) -> Suggester {
        let wanted = name.to_lowercase();
        let length = wanted.chars().count();
        Suggester {
            limit: (length / 3).max(2),
            wanted,
            length,
            compared: 0,
        }
    }

    fn closest<'c>(&mut self, candidates: impl Iterator<Item = &'c str>) -> Vec<&'c str> {
        if self.length > MAX_SUGGESTED_CHARS {
            return Vec::new();
        }
        let mut scored: Vec<(usize, &str)> = candidates
            .filter_map(|candidate| Some((self.score(candidate)?, candidate)))
            .collect();
        scored.sort_unstable();
        scored
            .into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|(_, candidate)| candidate)
            .collect()
    }

    /// How far `candidate` is, when it is worth suggesting: its edit distance within the
    /// limit, or, when one contains the other, their length difference (which is then their
    /// distance).
    fn score(&mut self, candidate: &str) -> Option<usize> {
        // A declared name is at most 160 characters; a longer candidate contains no typo of a
        // name this short and is not lowercased (or counted in full).
        if candidate.chars().nth(MAX_SUGGESTED_CHARS * 2).is_some() {
            return None;
        }
        let lowered = candidate.to_lowercase();
        let length = lowered.chars().count();
        let contains = |a: &str, b: &str| b.chars().count() >= MIN_CONTAINED && a.contains(b);
        if contains(&lowered, &self.wanted) || contains(&self.wanted, &lowered) {
            return Some(length.abs_diff(self.length));
        }
        if length.abs_diff(self.length) > self.limit {
            return None;
        }
        let pairs = self.length * length;
        if self.compared + pairs > MAX_COMPARED_PAIRS {
            return None;
        }
        self.compared += pairs;
        Some(strsim::osa_distance(&self.wanted, &lowered)).filter(|d| *d <= self.limit)
    }
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

    /// A 20,000-character unknown name against 1,007 variables took about a minute; now no
    /// distance is computed for it, and a manifest of any size is searched within the bound.
    #[test]
    fn suggestions_are_bounded_whatever_the_lengths_and_the_manifest() {
        let mut names: Vec<String> = (0..1_007)
            .map(|i| format!("SERVICE_{i:04}_DATABASE_URL_SETTING"))
            .collect();
        names.extend((0..100).map(|i| format!("{i}{}", "X".repeat(20_000))));
        let candidates = || names.iter().map(String::as_str);
        let huge = "X".repeat(20_000);
        let mut suggester = Suggester::new(&huge);
        assert!(suggester.closest(candidates()).is_empty());
        assert_eq!(suggester.compared, 0);
        // A 200-character name (66 edits allowed): a candidate within 66 characters of its
        // length is measured, a shorter or longer one is skipped unmeasured, unless one
        // contains the other (N x 133 is inside it, 67 apart).
        let long = format!("{}Y", "N".repeat(199));
        let mut suggester = Suggester::new(&long);
        let names = [
            "N".repeat(198),
            "Q".repeat(134),
            "N".repeat(133),
            "Q".repeat(133),
            "N".repeat(300),
        ];
        let found = suggester.closest(names.iter().map(String::as_str));
        assert_eq!(found, ["N".repeat(198), "N".repeat(133)]);
        assert_eq!(suggester.compared, 200 * 134);
        // Far more candidates than the bound allows: the search stops there.
        let many: Vec<String> = (0..20_000)
            .map(|i| format!("{i:05}{}", "M".repeat(155)))
            .collect();
        let mut suggester = Suggester::new(&"N".repeat(160));
        suggester.closest(many.iter().map(String::as_str));
        assert!(suggester.compared <= MAX_COMPARED_PAIRS);
        // A typo in a long (but possible) name is still found.
        let declared = format!("APP_{}", "SETTING_".repeat(19));
        let typo = declared.replacen("SETTING", "SETTIGN", 3);
        assert_eq!(
            closest_names(&typo, std::iter::once(declared.as_str())),
            [declared.as_str()]
        );
    }
}
