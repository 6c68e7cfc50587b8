//! Common language names and their BCP 47 tags, for the hint when `site.yaml` names a language
//! (`language: english`) instead of giving its tag.

/// English names (and a few endonyms) of common languages, with their tags.
const NAMES: &[(&str, &str)] = &[
    ("arabic", "ar"),
    ("chinese", "zh"),
    ("danish", "da"),
    ("deutsch", "de"),
    ("dutch", "nl"),
    ("english", "en"),
    ("español", "es"),
    ("finnish", "fi"),
    ("français", "fr"),
    ("french", "fr"),
    ("german", "de"),
    ("greek", "el"),
    ("hebrew", "he"),
    ("hindi", "hi"),
    ("italian", "it"),
    ("japanese", "ja"),
    ("korean", "ko"),
    ("norwegian", "no"),
    ("polish", "pl"),
    ("portuguese", "pt"),
    ("russian", "ru"),
    ("spanish", "es"),
    ("swedish", "sv"),
    ("turkish", "tr"),
    ("ukrainian", "uk"),
];

/// The tag of the language called `name` (any case), if it is a common one.
pub fn tag_for_name(name: &str) -> Option<&'static str> {
    let name = name.trim().to_lowercase();
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, tag)| *tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_tags() {
        assert_eq!(tag_for_name("English"), Some("en"));
        assert_eq!(tag_for_name("klingon"), None);
    }
}
