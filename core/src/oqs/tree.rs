//! A small element tree read with quick-xml: OQS messages are a few kilobytes of nested elements
//! with text, no attributes that matter and no mixed content. Errors name the element path.

use quick_xml::Reader;
use quick_xml::events::Event;

/// The deepest nesting accepted (OQS messages are about 5 levels deep).
const MAX_DEPTH: usize = 32;

/// One element: its name, its text (trimmed of nothing: values such as `  131011` keep their
/// spaces), and its children in document order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// The local name.
    pub name: String,
    /// The text content, unescaped.
    pub text: String,
    /// Child elements.
    pub children: Vec<Element>,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the child `name`, if present and not empty.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.as_str())
            .filter(|t| !t.is_empty())
    }
}

/// XML that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "XMLを読み取れません（{position}バイト目付近）: {reason} (malformed XML near byte {position}: {reason})"
)]
pub struct XmlError {
    /// Byte position in the text.
    pub position: u64,
    /// What was wrong.
    pub reason: String,
}

/// Reads the document's root element.
pub fn parse_tree(text: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(text);
    let mut builder = TreeBuilder::default();
    let err = |reader: &Reader<&[u8]>, reason: String| XmlError {
        position: reader.buffer_position(),
        reason,
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| err(&reader, e.to_string()))?;
        if let Event::Eof = event {
            return Err(err(
                &reader,
                "the document ends before its root element does".to_owned(),
            ));
        }
        match builder.event(&event, utf8_text) {
            Ok(Some(root)) => return Ok(root),
            Ok(None) => {}
            Err(reason) => return Err(err(&reader, reason)),
        }
    }
}

/// Text bytes of a UTF-8 document.
pub(crate) fn utf8_text(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, String> {
    std::str::from_utf8(bytes)
        .map(std::borrow::Cow::Borrowed)
        .map_err(|e| e.to_string())
}

/// Builds elements from quick-xml events, one subtree at a time: [`parse_tree`] feeds it a whole
/// document, the streaming unit reader feeds it one unit at a time. `decode` turns text bytes into
/// text (UTF-8, or Shift_JIS for a streamed file that was not decoded up front).
#[derive(Default)]
pub(crate) struct TreeBuilder {
    stack: Vec<Element>,
}

impl TreeBuilder {
    /// Feeds one event; returns the element when the outermost one closes.
    pub(crate) fn event<'e>(
        &mut self,
        event: &Event<'e>,
        decode: impl Fn(&[u8]) -> Result<std::borrow::Cow<'_, str>, String>,
    ) -> Result<Option<Element>, String> {
        match event {
            Event::Start(start) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(format!("nested deeper than {MAX_DEPTH}"));
                }
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                self.stack.push(Element {
                    name,
                    ..Element::default()
                });
            }
            Event::Empty(start) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                let element = Element {
                    name,
                    ..Element::default()
                };
                match self.stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(Some(element)),
                }
            }
            Event::Text(t) => {
                if let Some(top) = self.stack.last_mut() {
                    let decoded = decode(t)?;
                    let unescaped =
                        quick_xml::escape::unescape(&decoded).map_err(|e| e.to_string())?;
                    top.text.push_str(&unescaped);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(top) = self.stack.last_mut() {
                    let name = r.decode().map_err(|e| e.to_string())?;
                    match &*name {
                        "lt" => top.text.push('<'),
                        "gt" => top.text.push('>'),
                        "amp" => top.text.push('&'),
                        "apos" => top.text.push('\''),
                        "quot" => top.text.push('"'),
                        other => match r.resolve_char_ref() {
                            Ok(Some(c)) => top.text.push(c),
                            _ => return Err(format!("unknown entity &{other};")),
                        },
                    }
                }
            }
            Event::CData(c) => {
                if let Some(top) = self.stack.last_mut() {
                    top.text.push_str(&decode(c)?);
                }
            }
            Event::End(_) => {
                let Some(done) = self.stack.pop() else {
                    return Err("closing tag without an opening one".to_owned());
                };
                match self.stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(Some(done)),
                }
            }
            _ => {}
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_padding_and_unescapes() {
        let root = parse_tree(
            "<?xml version=\"1.0\"?><XmlMsg><A>  131011</A><B>a&amp;b&#x9AD9;</B><C/></XmlMsg>",
        )
        .unwrap();
        assert_eq!(root.name, "XmlMsg");
        assert_eq!(root.text_of("A"), Some("  131011"));
        assert_eq!(root.text_of("B"), Some("a&b髙"));
        assert!(root.child("C").is_some() && root.text_of("C").is_none());
    }

    #[test]
    fn malformed_documents_are_errors() {
        for bad in ["", "<a>", "<a></b>", "</a>", "<a>&nope;</a>"] {
            assert!(parse_tree(bad).is_err(), "{bad}");
        }
        let deep = "<a>".repeat(40) + &"</a>".repeat(40);
        assert!(parse_tree(&deep).is_err());
    }
}
