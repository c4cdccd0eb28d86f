//! The one builder of dynamic SQL: the text and its parameters grow together, so a
//! placeholder's number cannot drift from its value.

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, FromRow};

/// Binds one [`Value`] to a `Query` or a `QueryAs` (two types with the same `bind`).
macro_rules! bind {
    ($query:expr, $value:expr) => {
        match $value {
            Value::Int(v) => $query.bind(*v),
            Value::OptInt(v) => $query.bind(*v),
            Value::Text(v) => $query.bind(v.clone()),
            Value::OptText(v) => $query.bind(v.clone()),
            Value::Bool(v) => $query.bind(*v),
        }
    };
}

/// A value bound to a numbered parameter.
#[derive(Clone, Debug)]
pub(crate) enum Value {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
    Bool(bool),
}

/// SQL text with `$n` placeholders and the values they stand for.
#[derive(Debug, Default)]
pub(crate) struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            values: Vec::new(),
        }
    }

    /// Adds a parameter and returns its placeholder, to be written into the text.
    pub(crate) fn param(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    /// Appends text in which each `?` is one of `values`, in order.
    pub(crate) fn push(&mut self, text: &str, values: impl IntoIterator<Item = Value>) {
        let mut values = values.into_iter();
        for (i, part) in text.split('?').enumerate() {
            if i > 0 {
                let placeholder = match values.next() {
                    Some(value) => self.param(value),
                    None => "?".to_owned(),
                };
                self.text.push_str(&placeholder);
            }
            self.text.push_str(part);
        }
        debug_assert!(values.next().is_none(), "more values than placeholders");
    }

    pub(crate) fn push_str(&mut self, text: &str) {
        self.text.push_str(text);
    }

    #[cfg(test)]
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    pub(crate) fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        self.values
            .iter()
            .fold(sqlx::query(&self.text), |query, value| bind!(query, value))
    }

    pub(crate) fn query_as<T>(&self) -> QueryAs<'_, Any, T, AnyArguments<'_>>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        self.values
            .iter()
            .fold(sqlx::query_as(&self.text), |query, value| {
                bind!(query, value)
            })
    }

    pub(crate) fn query_scalar<T>(&self) -> QueryScalar<'_, Any, T, AnyArguments<'_>>
    where
        (T,): for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        self.values
            .iter()
            .fold(sqlx::query_scalar(&self.text), |query, value| {
                bind!(query, value)
            })
    }
}

/// A boolean column as 0 or 1: SQLite hands the `Any` driver an integer and
/// PostgreSQL a boolean, and this is the one shape both give. Rows turn it back
/// into `bool` where they are read.
pub(crate) fn flag(column: &str) -> String {
    format!("CASE WHEN {column} THEN 1 ELSE 0 END AS {column}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_in_order() {
        let mut sql = Sql::new("SELECT 1 WHERE a = ");
        let a = sql.param(Value::Int(1));
        sql.push_str(&a);
        sql.push(" AND (b, c) < (?, ?)", [Value::Int(2), Value::Int(3)]);
        assert_eq!(sql.text(), "SELECT 1 WHERE a = $1 AND (b, c) < ($2, $3)");
    }
}
