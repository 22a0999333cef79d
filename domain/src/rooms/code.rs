//! New meeting codes, drawn from a CSPRNG.

use meet_types::RoomCode;
use rand::Rng;

/// A new meeting code, `[a-z]{3}-[a-z]{4}-[a-z]{3}`, drawn uniformly from a CSPRNG (the thread
/// RNG, a ChaCha generator seeded by the operating system): 26^10 ≈ 1.4·10^14 codes, so a code
/// cannot be guessed from the ones a person has seen.
pub fn generate_code() -> RoomCode {
    let mut rng = rand::rng();
    let letters: [u8; 10] = std::array::from_fn(|_| b'a' + rng.random_range(0..26u8));
    match RoomCode::from_chars(letters) {
        Ok(code) => code,
        // Ten ASCII lowercase letters always form a code.
        Err(error) => unreachable!("generated letters are a valid code: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn generated_codes_are_canonical_lowercase_letters() {
        for _ in 0..1000 {
            let code = generate_code();
            let text = code.as_str();
            assert_eq!(text.len(), 12);
            assert_eq!(RoomCode::parse(text).as_ref(), Ok(&code));
            assert!(
                text.bytes().all(|b| b == b'-' || b.is_ascii_lowercase()),
                "{text}"
            );
        }
    }

    #[test]
    fn generated_codes_differ_and_use_the_whole_alphabet() {
        let codes: Vec<RoomCode> = (0..2000).map(|_| generate_code()).collect();
        let distinct: HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), codes.len());
        let letters: HashSet<u8> = codes.iter().flat_map(|c| c.as_str().bytes()).collect();
        assert_eq!(letters.len(), 27, "26 letters and the hyphen");
    }
}
