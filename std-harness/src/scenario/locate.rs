//! Finds lines and field paths in the text of a scenario file, from TOML spans.

use super::path::{FieldPath, Segment};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The spans of every key and value of a scenario file, to turn a byte offset into a
/// field path and a field path into a line.
///
/// Built from the text independently of the typed parse, so errors found later
/// (validation of values that parsed fine) can still point at their line.
pub struct Locator<'i> {
    text: &'i str,
    root: Option<Spanned<DeTable<'i>>>,
}

impl<'i> Locator<'i> {
    /// Indexes `text`; a text that is not valid TOML yields a locator that knows only
    /// line numbers.
    #[must_use]
    pub fn new(text: &'i str) -> Self {
        Self {
            text,
            root: DeTable::parse(text).ok(),
        }
    }

    /// The 1-based line holding byte `offset`.
    #[must_use]
    pub fn line_at(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        let before = self.text.get(..end).unwrap_or(self.text);
        before.bytes().filter(|&b| b == b'\n').count() + 1
    }

    /// The line of the value at `path`, or of its deepest ancestor present in the file
    /// (a missing key is reported where its table is). `None` if nothing of the path is
    /// in the file.
    #[must_use]
    pub fn line_of(&self, path: &FieldPath) -> Option<usize> {
        let root = self.root.as_ref()?;
        let mut value: Option<&Spanned<DeValue<'i>>> = None;
        let mut best: Option<Range<usize>> = None;
        for segment in path.segments() {
            let next = match (segment, value.map(Spanned::get_ref)) {
                (Segment::Key(k), None) => find_key(root.get_ref(), k),
                (Segment::Key(k), Some(DeValue::Table(t))) => find_key(t, k),
                (Segment::Index(i), Some(DeValue::Array(a))) => a.get(*i),
                _ => None,
            };
            let Some(next) = next else { break };
            best = Some(next.span());
            value = Some(next);
        }
        best.map(|span| self.line_at(span.start))
    }

    /// The path of the innermost key or value whose span holds all of `span`, or the
    /// root when none does or `span` is empty (an error spanning a whole table is the
    /// table's).
    #[must_use]
    pub fn path_of(&self, span: Range<usize>) -> FieldPath {
        if span.is_empty() {
            // toml gives an empty span to errors about the document as a whole.
            return FieldPath::root();
        }
        match &self.root {
            Some(root) => search_table(root.get_ref(), &span, &FieldPath::root())
                .unwrap_or_else(FieldPath::root),
            None => FieldPath::root(),
        }
    }
}

fn find_key<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

fn holds(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn search_table(table: &DeTable<'_>, span: &Range<usize>, here: &FieldPath) -> Option<FieldPath> {
    table.iter().find_map(|(k, v)| {
        let path = here.key(k.get_ref());
        search_value(v, span, &path).or_else(|| holds(&k.span(), span).then_some(path))
    })
}

fn search_value(
    value: &Spanned<DeValue<'_>>,
    span: &Range<usize>,
    here: &FieldPath,
) -> Option<FieldPath> {
    // A table opened by a `[header]` spans only its header, so children are searched
    // whether or not the container's span holds the error's.
    let inner = match value.get_ref() {
        DeValue::Table(t) => search_table(t, span, here),
        DeValue::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, v)| search_value(v, span, &here.index(i))),
        _ => None,
    };
    inner.or_else(|| holds(&value.span(), span).then(|| here.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name = \"x\"\n\n[[service]]\nname = \"a\"\n\n[[service]]\nname = \"b\"\nlatency = { min = \"1ms\", max = \"2ms\" }\n";

    #[test]
    fn a_path_finds_the_line_of_its_value_or_of_its_deepest_present_ancestor() {
        let loc = Locator::new(TEXT);
        let service1 = FieldPath::root().key("service").index(1);
        assert_eq!(loc.line_of(&FieldPath::root().key("name")), Some(1));
        assert_eq!(loc.line_of(&service1.key("name")), Some(7));
        assert_eq!(loc.line_of(&service1.dotted("latency.max")), Some(8));
        assert_eq!(
            loc.line_of(&service1.key("missing")),
            loc.line_of(&service1),
            "a missing key is reported at its table"
        );
    }

    #[test]
    fn a_span_finds_the_innermost_path_holding_it() {
        let loc = Locator::new(TEXT);
        let offset = TEXT.find("\"2ms\"").unwrap();
        let path = loc.path_of(offset..offset + 5);
        assert_eq!(path.to_string(), "service[1].latency.max");
        assert_eq!(loc.line_at(offset), 8);
        assert!(
            loc.path_of(0..TEXT.len()).is_root(),
            "an error about the whole document is the document's"
        );
    }
}
