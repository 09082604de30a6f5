//! Counts with their noun: "1 item", "2 items". Every count a person reads
//! goes through [`count`], so that no message says "1 customers".

/// `n` and `noun`, with an `s` on the noun unless `n` is 1. The noun may
/// be several words, the last of which takes the `s`: `count(1, "more
/// customer")` is "1 more customer", `count(3, "feature")` "3 features".
pub fn count(n: impl TryInto<u64>, noun: &str) -> String {
    // Every count painmap shows is a usize or an unsigned integer.
    let n: u64 = n.try_into().unwrap_or(u64::MAX);
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count(1u64, "item"), "1 item");
        assert_eq!(count(0u64, "item"), "0 items");
        assert_eq!(count(2u32, "more customer"), "2 more customers");
        assert_eq!(count(1usize, "candidate feature"), "1 candidate feature");
    }
}
