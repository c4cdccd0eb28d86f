//! Which part of a search PostgreSQL's trigram index should look up.
//!
//! A GIN trigram index answers `LIKE '%text%'` by intersecting the lists of rows
//! that hold each of the text's trigrams. A trigram that nearly every row holds
//! ("adm" when every email starts with "admin", " ex" of ".example") costs a read of
//! a list as long as the table, whatever else the text says: at 1,000,000 accounts
//! each costs about 350 index pages, and "admin250007@" took 29 ms where "250007@"
//! takes under 1 ms.
//!
//! So the index is given the part of the text whose trigrams are rare, and the whole
//! text is checked on the few rows that come back. Which trigrams are common is read
//! from the rows ANALYZE sampled for the index's expression (`pg_stats`), so it
//! follows the organization's data, not a list written here.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::AnyConnection;

use crate::error::Result;

/// A trigram held by more than this share of the sampled rows is worth skipping.
const COMMON: f64 = 0.05;

/// Longer texts are looked up whole: they are rarely common, and the choice of a
/// part grows with the cube of the length.
const LONGEST_PROBED: usize = 64;

/// The trigrams ANALYZE's sample of an index expression holds, and how often.
#[derive(Debug, Default)]
pub(crate) struct Sample {
    rows: usize,
    holding: HashMap<String, usize>,
}

impl Sample {
    /// From the sampled values of the indexed expression (already lower-cased).
    pub(crate) fn new<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut sample = Self::default();
        for value in values {
            sample.rows += 1;
            for trigram in value_trigrams(value) {
                *sample.holding.entry(trigram).or_default() += 1;
            }
        }
        sample
    }

    /// The share of sampled rows that hold `trigram`.
    fn share(&self, trigram: &str) -> f64 {
        match self.holding.get(trigram) {
            Some(&holding) => holding as f64 / self.rows as f64,
            None => 0.0,
        }
    }

    /// The longest part of `text` whose trigrams are all rare in the sample, when
    /// that is less than the whole text; `None` to look up the text as it is (all
    /// its trigrams are rare, or all are common and the planner will walk the list).
    pub(crate) fn probe<'t>(&self, text: &'t str) -> Option<&'t str> {
        if self.rows == 0 || text.chars().count() > LONGEST_PROBED {
            return None;
        }
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let mut best: Option<(usize, &str)> = None;
        for (a, &start) in bounds.iter().enumerate() {
            for &end in bounds[a + 1..].iter().rev() {
                let part = &text[start..end];
                let trigrams = pattern_trigrams(part);
                // Shorter parts of this start only lose trigrams.
                if best.is_some_and(|(count, _)| trigrams.len() <= count) {
                    break;
                }
                if !trigrams.is_empty() && trigrams.iter().all(|t| self.share(t) <= COMMON) {
                    best = Some((trigrams.len(), part));
                    break;
                }
            }
        }
        best.map(|(_, part)| part)
            .filter(|part| part.len() < text.len())
    }
}

/// A sample is read again after this long: ANALYZE (autovacuum's) renews them as
/// the table changes, and reading one costs a query.
const SAMPLE_LIFETIME: Duration = Duration::from_secs(600);

/// The trigram indexes a search can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TrigramIndex {
    Name,
    Text,
}

impl TrigramIndex {
    fn relation(self) -> &'static str {
        match self {
            Self::Name => "accounts_name_trgm",
            Self::Text => "accounts_text_trgm",
        }
    }
}

/// Each index's sample, read from `pg_stats` when first needed and kept a while:
/// one per database handle, shared by its connections.
#[derive(Debug, Default)]
pub(crate) struct Samples {
    read: Mutex<HashMap<TrigramIndex, (Instant, Arc<Sample>)>>,
}

impl Samples {
    pub(crate) async fn get(
        &self,
        conn: &mut AnyConnection,
        index: TrigramIndex,
    ) -> Result<Arc<Sample>> {
        if let Some(sample) = self.fresh(index) {
            return Ok(sample);
        }
        // No stats yet (a new or small table) reads as an empty sample: no probing.
        let values: Vec<String> = sqlx::query_scalar(
            "SELECT value FROM pg_stats, \
             unnest(coalesce(histogram_bounds::text::text[], '{}') \
                    || coalesce(most_common_vals::text::text[], '{}')) AS value \
             WHERE schemaname = current_schema() AND tablename = $1",
        )
        .bind(index.relation())
        .fetch_all(conn)
        .await?;
        let sample = Arc::new(Sample::new(values.iter().map(String::as_str)));
        if let Ok(mut read) = self.read.lock() {
            read.insert(index, (Instant::now(), sample.clone()));
        }
        Ok(sample)
    }

    fn fresh(&self, index: TrigramIndex) -> Option<Arc<Sample>> {
        let read = self.read.lock().ok()?;
        let (at, sample) = read.get(&index)?;
        (at.elapsed() < SAMPLE_LIFETIME).then(|| sample.clone())
    }
}

/// The trigrams pg_trgm indexes for a value: each word (a run of letters and
/// digits) padded with two spaces before and one after.
fn value_trigrams(value: &str) -> HashSet<String> {
    words(value)
        .flat_map(|word| windows(&format!("  {word} ")))
        .collect()
}

/// The trigrams pg_trgm looks up for `LIKE '%part%'`: words padded only where the
/// part itself shows a word boundary (the `%` on either side could be a letter).
fn pattern_trigrams(part: &str) -> HashSet<String> {
    let starts_inside = part.chars().next().is_some_and(char::is_alphanumeric);
    let ends_inside = part.chars().last().is_some_and(char::is_alphanumeric);
    let words: Vec<&str> = words(part).collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .flat_map(|(i, word)| {
            let before = if i == 0 && starts_inside { "" } else { "  " };
            let after = if i == last && ends_inside { "" } else { " " };
            windows(&format!("{before}{word}{after}"))
        })
        .collect()
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
}

fn windows(padded: &str) -> Vec<String> {
    let chars: Vec<char> = padded.chars().collect();
    chars.windows(3).map(|w| w.iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Sample {
        let values: Vec<String> = (0..100)
            .map(|i| {
                format!(
                    "account {:07} faculty https://acct{i}.example admin {i} admin{i}@acct{i}.example",
                    i * 9_973
                )
            })
            .collect();
        Sample::new(values.iter().map(String::as_str))
    }

    #[test]
    fn trigrams_pad_words_like_pg_trgm() {
        let value = value_trigrams("ab-c");
        let expected: HashSet<String> = ["  a", " ab", "ab ", "  c", " c "]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(value, expected);
        // Inside a LIKE pattern, an edge next to `%` is not a word boundary.
        let pattern = pattern_trigrams("min25@ac");
        let expected: HashSet<String> = ["min", "in2", "n25", "25 ", "  a", " ac"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(pattern, expected);
    }

    #[test]
    fn the_probe_skips_what_every_row_holds() {
        let sample = sample();
        assert_eq!(sample.probe("admin250007@"), Some("n250007@"));
        assert_eq!(sample.probe("acct200007."), Some("t200007."));
    }

    /// The sample comes from a real PostgreSQL's statistics, and holds what the
    /// rows have in common.
    #[tokio::test]
    async fn samples_are_read_from_pg_stats() {
        let Some(db) = crate::testing::TestDb::postgres().await else {
            return;
        };
        let umbrella = db.umbrella();
        let (parent, admin) =
            crate::testing::organization_with_admin(umbrella, "Uni", "boss@uni.example", 0).await;
        // Seeding ends with ANALYZE, which writes the sample.
        crate::testing::bulk_seed_accounts(umbrella, admin.organization_id(), parent, 2_000)
            .await
            .unwrap();
        let mut conn = umbrella.db().pool().acquire().await.unwrap();
        let samples = umbrella.db().trigram_samples();
        let text = samples.get(&mut conn, TrigramIndex::Text).await.unwrap();
        assert!(text.rows >= 100, "{} sampled rows", text.rows);
        assert_eq!(text.probe("admin1237@"), Some("1237@"));
        let name = samples.get(&mut conn, TrigramIndex::Name).await.unwrap();
        assert_eq!(name.probe("faculty"), None);
        let probe = name.probe("account 0001237 faculty");
        assert!(
            probe.is_some_and(|p| p.contains("1237") && !p.contains("fac") && !p.contains("acc")),
            "{probe:?}"
        );
    }

    #[test]
    fn rare_or_common_text_is_looked_up_whole() {
        let sample = sample();
        assert_eq!(sample.probe("xyzzy"), None);
        assert_eq!(sample.probe("example"), None);
        assert_eq!(sample.probe("ab"), None);
        assert_eq!(Sample::default().probe("admin250007@"), None);
    }
}
