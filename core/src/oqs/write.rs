//! Writing OQS XML in the interface's element order: a small streaming writer over a `String`
//! (serde cannot keep the order of optional elements), escaping through quick-xml.

use super::encoding::{EncodeError, XmlEncoding, encode_xml};

/// Builds one message.
pub(crate) struct XmlWriter {
    out: String,
    depth: usize,
}

impl XmlWriter {
    /// Starts a document with the declaration for `encoding`.
    pub fn new(encoding: XmlEncoding) -> Self {
        Self {
            out: format!(
                "<?xml version=\"1.0\" encoding=\"{}\" standalone=\"no\"?>\n",
                encoding.declaration_name()
            ),
            depth: 0,
        }
    }

    /// Starts a fragment (no declaration) at nesting `depth`: one unit of a streamed file.
    pub fn fragment(depth: usize) -> Self {
        Self {
            out: String::with_capacity(4096),
            depth,
        }
    }

    /// Empties the text written so far (the depth is kept), to reuse the buffer.
    pub fn clear(&mut self) {
        self.out.clear();
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    /// Opens an element.
    pub fn open(&mut self, name: &str) -> &mut Self {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(">\n");
        self.depth += 1;
        self
    }

    /// Closes an element.
    pub fn close(&mut self, name: &str) -> &mut Self {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
        self
    }

    /// A leaf element with text.
    pub fn leaf(&mut self, name: &str, value: &str) -> &mut Self {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        self.out.push_str(&quick_xml::escape::escape(value));
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
        self
    }

    /// A leaf only when there is a value.
    pub fn optional(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.leaf(name, v);
        }
        self
    }

    /// The text written so far.
    pub fn text(&self) -> &str {
        &self.out
    }

    /// The document's bytes in `encoding`.
    pub fn finish(self, encoding: XmlEncoding) -> Result<Vec<u8>, EncodeError> {
        encode_xml(&self.out, encoding)
    }
}
