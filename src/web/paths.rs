//! The paths of a CMS Login tab, `/cms/<partner_id>/…`, as both the server and the
//! browser read them.

/// `/cms/12/console/entries` → `(12, "/console/entries")`; `None` outside `/cms/`.
pub fn split(path: &str) -> Option<(i64, &str)> {
    let rest = path.strip_prefix("/cms/")?;
    let (id, tail) = rest
        .split_once('/')
        .map_or((rest, ""), |(id, _)| (id, &rest[id.len()..]));
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id = id.parse().ok().filter(|id| *id > 0)?;
    Some((id, if tail.is_empty() { "/" } else { tail }))
}

/// `/cms/12/console/entries` → `/cms/12`: where that tab's server functions live.
pub fn prefix(path: &str) -> Option<String> {
    split(path).map(|(id, _)| format!("/cms/{id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_numeric_partner_ids_are_cms_paths() {
        assert_eq!(split("/cms/x/console"), None);
        assert_eq!(split("/cms//console"), None);
        assert_eq!(split("/cms/0/console"), None);
        assert_eq!(split("/console"), None);
        assert_eq!(
            split("/cms/12/console/entries"),
            Some((12, "/console/entries"))
        );
        assert_eq!(split("/cms/12/"), Some((12, "/")));
        assert_eq!(split("/cms/12"), Some((12, "/")));
        assert_eq!(prefix("/cms/12/api/x").as_deref(), Some("/cms/12"));
    }
}
