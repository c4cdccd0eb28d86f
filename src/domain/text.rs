//! Text that people read (names above all): one Unicode form, nothing invisible.
//!
//! NFC makes "é" one way only, so two names that look the same compare the same.
//! Control and format characters (bidi overrides such as U+202E, zero-width
//! characters such as U+200B) are refused: they make a name read differently from
//! what it is, e.g. an account that appears as another's.

use unicode_normalization::{UnicodeNormalization, is_nfc};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// The first character of `value` that a readable name may not hold, described.
fn forbidden(value: &str, label: &str) -> Option<String> {
    value.chars().find_map(|c| {
        if c.is_control() {
            Some(format!("{label} must not contain control characters."))
        } else if c.general_category() == GeneralCategory::Format {
            Some(format!(
                "{label} must not contain invisible formatting characters (it has U+{:04X}).",
                u32::from(c)
            ))
        } else {
            None
        }
    })
}

/// The one rule for names, wherever they come from (account and person names,
/// content items in the console, items of an imported bundle): present once
/// trimmed, at most `max` characters, readable. Returns the name trimmed and
/// composed (NFC), or why it is not one.
pub fn name(raw: &str, label: &str, max: usize) -> Result<String, String> {
    let value = raw.trim();
    let length = value.chars().count();
    if length == 0 {
        return Err(format!("{label} is required."));
    }
    if length > max {
        return Err(format!(
            "{label} must be at most {max} characters; this one has {length}."
        ));
    }
    readable(value, label)
}

/// The same rule for a name taken as it is (an imported bundle is checked, not
/// rewritten): it must already be what [`name`] would make of it.
pub fn exact_name(value: &str, label: &str, max: usize) -> Option<String> {
    match name(value, label, max) {
        Err(message) => Some(message),
        Ok(_) if value.trim() != value => {
            Some(format!("{label} must not start or end with spaces."))
        }
        Ok(_) => unreadable(value, label),
    }
}

/// `value` in NFC, or why it cannot be a readable text.
pub fn readable(value: &str, label: &str) -> Result<String, String> {
    match forbidden(value, label) {
        Some(message) => Err(message),
        None => Ok(value.nfc().collect()),
    }
}

/// Why `value`, taken as it is (an imported bundle is checked, not rewritten), is
/// not a readable text, if it is not.
pub fn unreadable(value: &str, label: &str) -> Option<String> {
    forbidden(value, label).or_else(|| {
        (!is_nfc(value))
            .then(|| format!("{label} must be in Unicode normal form C (composed characters)."))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_for_names() {
        assert_eq!(name("  Arts ", "Name", 5).unwrap(), "Arts");
        assert_eq!(name(" ", "Name", 5).unwrap_err(), "Name is required.");
        assert!(
            name("Physics", "Name", 5)
                .unwrap_err()
                .contains("at most 5")
        );
        assert!(exact_name(" Arts", "Name", 10).unwrap().contains("spaces"));
        assert!(exact_name("Cafe\u{301}", "Name", 10).is_some());
        assert_eq!(exact_name("Arts", "Name", 10), None);
    }

    #[test]
    fn names_are_composed() {
        assert_eq!(readable("Cafe\u{301}", "Name").unwrap(), "Caf\u{e9}");
        assert!(unreadable("Cafe\u{301}", "Name").is_some());
        assert_eq!(unreadable("Caf\u{e9}", "Name"), None);
    }

    #[test]
    fn invisible_and_control_characters_are_refused() {
        for spoof in [
            "Physics\u{202E}txt",
            "Ad\u{200B}min",
            "a\u{2066}b",
            "x\u{FEFF}",
            "tab\there",
        ] {
            assert!(readable(spoof, "Account Name").is_err(), "{spoof:?}");
            assert!(unreadable(spoof, "Account Name").is_some(), "{spoof:?}");
        }
        assert_eq!(
            readable("Physics\u{202E}txt", "Account Name").unwrap_err(),
            "Account Name must not contain invisible formatting characters (it has U+202E)."
        );
        // Letters of any script stay.
        assert!(readable("Факультет 物理 كلية", "Account Name").is_ok());
    }
}
