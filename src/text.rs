//! Counts in words for messages and notes: "1 team", "2 teams", never "1 teams".

/// `n` and the noun that agrees with it: `one` for exactly one, `many` otherwise.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `one` or `many` as `n` asks: for the verb or pronoun that follows a count.
pub fn agree<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_takes_the_singular_and_every_other_count_the_plural() {
        assert_eq!(counted(1, "team", "teams"), "1 team");
        assert_eq!(counted(0, "team", "teams"), "0 teams");
        assert_eq!(counted(2, "person", "people"), "2 people");
        assert_eq!(agree(1, "has", "have"), "has");
        assert_eq!(agree(3, "has", "have"), "have");
    }
}
