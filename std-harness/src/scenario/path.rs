//! Where in a scenario file a value lives: a path of keys and array indices.

use std::fmt;

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A table key.
    Key(String),
    /// A position in an array (an array of tables such as `[[service]]` included).
    Index(usize),
}

/// The path of a value in a scenario file, e.g. `service[0].latency.min`.
///
/// Error messages name the field with it, and the locator finds its line with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath {
    segments: Vec<Segment>,
}

impl FieldPath {
    /// The document itself.
    #[must_use]
    pub fn root() -> Self {
        Self::default()
    }

    /// This path extended by the key `key`.
    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        let mut next = self.clone();
        next.segments.push(Segment::Key(key.to_owned()));
        next
    }

    /// This path extended by the array position `index`.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.segments.push(Segment::Index(index));
        next
    }

    /// This path extended by a dotted relative path such as `open.base`.
    #[must_use]
    pub fn dotted(&self, relative: &str) -> Self {
        relative
            .split('.')
            .filter(|k| !k.is_empty())
            .fold(self.clone(), |p, k| p.key(k))
    }

    /// The steps of the path, outermost first.
    #[must_use]
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Whether this is the document itself.
    #[must_use]
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("(top level)");
        }
        for (i, s) in self.segments.iter().enumerate() {
            match s {
                Segment::Key(k) if i == 0 => f.write_str(k)?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_keys_dotted_and_indices_bracketed() {
        let p = FieldPath::root()
            .key("service")
            .index(2)
            .dotted("breaker.open.base");
        assert_eq!(p.to_string(), "service[2].breaker.open.base");
        assert_eq!(FieldPath::root().to_string(), "(top level)");
    }
}
