//! Reading values out of an element tree: typed errors name the element path and the value, and
//! elements onshi does not know are collected (newer interface versions add some) — never a failure.

use std::str::FromStr;

use super::tree::Element;
use crate::jst::{Date, JstDateTime, parse_date, parse_datetime};

/// A message that does not follow the interface.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OqsError {
    /// A required element is missing or empty.
    #[error("必須項目 {path} がありません (required element {path} is missing)")]
    Missing {
        /// The element path, e.g. `XmlMsg/MessageHeader/SegmentOfResult`.
        path: String,
    },
    /// A value that is not valid for its element.
    #[error(
        "{path} の値「{value}」が正しくありません: {reason} (invalid value {value:?} at {path}: {reason})"
    )]
    Invalid {
        /// The element path.
        path: String,
        /// The value found (personal values are not shown).
        value: String,
        /// Why.
        reason: String,
    },
    /// The document is not XML, or not an `XmlMsg`.
    #[error("{0}")]
    Document(String),
}

/// One element being read, with its path, the children it knows, and the unknown ones seen.
pub(crate) struct Node<'a> {
    pub el: &'a Element,
    pub path: String,
}

impl<'a> Node<'a> {
    pub fn new(el: &'a Element, path: impl Into<String>) -> Self {
        Self {
            el,
            path: path.into(),
        }
    }

    fn child_path(&self, name: &str) -> String {
        format!("{}/{name}", self.path)
    }

    /// A child element to read further.
    pub fn node(&self, name: &str) -> Option<Node<'a>> {
        self.el
            .child(name)
            .map(|c| Node::new(c, self.child_path(name)))
    }

    /// Every child `name`, for repeated elements.
    pub fn nodes(&self, name: &'a str) -> Vec<Node<'a>> {
        self.el
            .children_named(name)
            .map(|c| Node::new(c, self.child_path(name)))
            .collect()
    }

    /// A required child element.
    pub fn required_node(&self, name: &str) -> Result<Node<'a>, OqsError> {
        self.node(name).ok_or_else(|| OqsError::Missing {
            path: self.child_path(name),
        })
    }

    /// Optional text, as written.
    pub fn text(&self, name: &str) -> Option<String> {
        self.el.text_of(name).map(str::to_owned)
    }

    /// Required text.
    pub fn required_text(&self, name: &str) -> Result<String, OqsError> {
        self.text(name).ok_or_else(|| OqsError::Missing {
            path: self.child_path(name),
        })
    }

    fn invalid(&self, name: &str, value: &str, reason: String, personal: bool) -> OqsError {
        OqsError::Invalid {
            path: self.child_path(name),
            value: if personal {
                "<redacted>".to_owned()
            } else {
                value.to_owned()
            },
            reason,
        }
    }

    /// Optional typed value (codes, identifiers): parsed by `FromStr`.
    pub fn parsed<T: FromStr>(&self, name: &str) -> Result<Option<T>, OqsError>
    where
        T::Err: std::fmt::Display,
    {
        self.parsed_as(name, false)
    }

    /// Optional typed personal value: its text is never shown in errors.
    pub fn parsed_personal<T: FromStr>(&self, name: &str) -> Result<Option<T>, OqsError>
    where
        T::Err: std::fmt::Display,
    {
        self.parsed_as(name, true)
    }

    fn parsed_as<T: FromStr>(&self, name: &str, personal: bool) -> Result<Option<T>, OqsError>
    where
        T::Err: std::fmt::Display,
    {
        self.text(name)
            .map(|t| {
                t.parse::<T>()
                    .map_err(|e| self.invalid(name, &t, e.to_string(), personal))
            })
            .transpose()
    }

    /// Required typed value.
    pub fn required<T: FromStr>(&self, name: &str) -> Result<T, OqsError>
    where
        T::Err: std::fmt::Display,
    {
        self.parsed(name)?.ok_or_else(|| OqsError::Missing {
            path: self.child_path(name),
        })
    }

    /// Optional `YYYYMMDD`.
    pub fn date(&self, name: &str) -> Result<Option<Date>, OqsError> {
        self.text(name)
            .map(|t| parse_date(&t).map_err(|e| self.invalid(name, &t, e.to_string(), false)))
            .transpose()
    }

    /// Optional `YYYYMMDDhhmmss`.
    pub fn datetime(&self, name: &str) -> Result<Option<JstDateTime>, OqsError> {
        self.text(name)
            .map(|t| parse_datetime(&t).map_err(|e| self.invalid(name, &t, e.to_string(), false)))
            .transpose()
    }

    /// Required `YYYYMMDD`.
    pub fn required_date(&self, name: &str) -> Result<Date, OqsError> {
        self.date(name)?.ok_or_else(|| OqsError::Missing {
            path: self.child_path(name),
        })
    }

    /// Required typed personal value: its text is never shown in errors.
    pub fn required_personal<T: FromStr>(&self, name: &str) -> Result<T, OqsError>
    where
        T::Err: std::fmt::Display,
    {
        self.parsed_personal(name)?
            .ok_or_else(|| OqsError::Missing {
                path: self.child_path(name),
            })
    }

    /// Optional `YYYYMM` (診療年月), kept as the first day of the month.
    pub fn month(&self, name: &str) -> Result<Option<Date>, OqsError> {
        self.text(name)
            .map(|t| {
                let valid = t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit());
                valid
                    .then(|| parse_date(&format!("{t}01")).ok())
                    .flatten()
                    .ok_or_else(|| {
                        self.invalid(
                            name,
                            &t,
                            "YYYYMM ではありません (not YYYYMM)".to_owned(),
                            false,
                        )
                    })
            })
            .transpose()
    }

    /// An invalid-value error for the child `name` (personal values redacted).
    pub fn invalid_value(&self, name: &str, value: &str, reason: &str, personal: bool) -> OqsError {
        self.invalid(name, value, reason.to_owned(), personal)
    }

    /// A missing-element error for the child `name`.
    pub fn missing(&self, name: &str) -> OqsError {
        OqsError::Missing {
            path: self.child_path(name),
        }
    }

    /// Records children not in `known` as unknown, by path.
    pub fn collect_unknown(&self, known: &[&str], unknown: &mut Vec<String>) {
        for c in &self.el.children {
            if !known.contains(&c.name.as_str()) {
                unknown.push(self.child_path(&c.name));
            }
        }
    }
}
