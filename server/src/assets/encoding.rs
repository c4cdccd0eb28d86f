//! Which stored form of a static file a client gets, from its `Accept-Encoding`.

use axum::http::{HeaderMap, header};

/// A stored form of a file: as it is, or compressed at build time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Brotli,
    Gzip,
}

impl Encoding {
    /// The compressed forms, best first.
    pub const COMPRESSED: [Encoding; 2] = [Encoding::Brotli, Encoding::Gzip];

    fn suffix(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Brotli => Some("br"),
            Encoding::Gzip => Some("gz"),
        }
    }

    fn token(self) -> &'static str {
        match self {
            Encoding::Identity => "identity",
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        }
    }

    /// The form a stored file name holds (`umbrella.wasm.br`), if it is one.
    pub fn of_suffix(file: &str) -> Option<Encoding> {
        Encoding::COMPRESSED
            .into_iter()
            .find(|e| e.suffix().is_some_and(|s| file.ends_with(&format!(".{s}"))))
    }

    /// The stored file that holds `file` in this form.
    pub fn variant_of(self, file: &str) -> String {
        match self.suffix() {
            Some(suffix) => format!("{file}.{suffix}"),
            None => file.to_owned(),
        }
    }

    /// The `Content-Encoding` to send, if any.
    pub fn header_value(self) -> Option<&'static str> {
        (self != Encoding::Identity).then(|| self.token())
    }

    /// Told apart in the entity tag: each form is its own representation.
    pub fn tag_suffix(self) -> &'static str {
        match self {
            Encoding::Identity => "",
            Encoding::Brotli => "-br",
            Encoding::Gzip => "-gz",
        }
    }

    /// The best form the client accepts among those `stored` has. Quality values
    /// only say yes (above zero) or no: Brotli is smaller than gzip for every file
    /// here, so it wins whenever both are acceptable.
    pub fn choose(request: &HeaderMap, stored: impl Fn(Encoding) -> bool) -> Encoding {
        let accepted: Vec<(String, bool)> = request
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|item| {
                let mut parts = item.split(';');
                let token = parts.next()?.trim().to_ascii_lowercase();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                (!token.is_empty()).then_some((token, !refused))
            })
            .collect();
        let acceptable = |encoding: Encoding| {
            let verdict = |token: &str| {
                accepted
                    .iter()
                    .find(|(t, _)| t == token)
                    .map(|(_, yes)| *yes)
            };
            verdict(encoding.token())
                .or_else(|| verdict("*"))
                .unwrap_or(false)
        };
        Encoding::COMPRESSED
            .into_iter()
            .find(|&e| acceptable(e) && stored(e))
            .unwrap_or(Encoding::Identity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn choose(accept: Option<&str>, stored: &[Encoding]) -> Encoding {
        let mut headers = HeaderMap::new();
        if let Some(accept) = accept {
            headers.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(accept).unwrap(),
            );
        }
        Encoding::choose(&headers, |e| stored.contains(&e))
    }

    const BOTH: &[Encoding] = &[Encoding::Brotli, Encoding::Gzip];

    #[test]
    fn browsers_get_brotli_others_gzip_or_the_file_as_it_is() {
        assert_eq!(
            choose(Some("gzip, deflate, br, zstd"), BOTH),
            Encoding::Brotli
        );
        assert_eq!(choose(Some("gzip"), BOTH), Encoding::Gzip);
        assert_eq!(choose(Some("GZIP;q=0.5"), BOTH), Encoding::Gzip);
        assert_eq!(choose(Some("deflate"), BOTH), Encoding::Identity);
        assert_eq!(choose(None, BOTH), Encoding::Identity);
        assert_eq!(choose(Some("*"), BOTH), Encoding::Brotli);
    }

    #[test]
    fn a_refused_or_missing_form_is_not_sent() {
        assert_eq!(choose(Some("br;q=0, gzip"), BOTH), Encoding::Gzip);
        assert_eq!(choose(Some("*, br;q=0"), BOTH), Encoding::Gzip);
        assert_eq!(choose(Some("br"), &[Encoding::Gzip]), Encoding::Identity);
        assert_eq!(choose(Some("br, gzip"), &[]), Encoding::Identity);
    }

    #[test]
    fn stored_names_say_their_form() {
        assert_eq!(
            Encoding::of_suffix("pkg/umbrella.wasm.br"),
            Some(Encoding::Brotli)
        );
        assert_eq!(
            Encoding::of_suffix("pkg/umbrella.js.gz"),
            Some(Encoding::Gzip)
        );
        assert_eq!(Encoding::of_suffix("pkg/umbrella.js"), None);
        assert_eq!(Encoding::Brotli.variant_of("a.js"), "a.js.br");
        assert_eq!(Encoding::Identity.variant_of("a.js"), "a.js");
    }
}
