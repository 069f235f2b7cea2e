//! Bulk responses unit by unit: a 一括照会結果 may hold 10,000 `BulkConfirmUnit`s, so it is read with
//! quick-xml's streaming reader (one unit's element tree at a time, never the whole document) and
//! written from an iterator, one unit encoded and flushed at a time. Memory stays bounded by the
//! largest unit, which is itself capped at [`MAX_UNIT_BYTES`] (checked between XML events: one
//! text node is buffered whole before the check, a limit of quick-xml's reader).
//!
//! Shift_JIS files are read without decoding them first: its trail bytes never take the values of
//! `<`, `>`, `&`, quotes or `=`, so the markup reads the same, and each text node is decoded alone.

use std::io::{BufRead, Read, Write};

use quick_xml::Reader;
use quick_xml::events::Event;
use serde::Serialize;

use super::common::{
    PROCESSING_RESULT_KNOWN, ProcessingResult, ResponseHeader, check_root, note_unknown,
};
use super::encoding::{EncodeError, XmlEncoding, declared, decode_text, encode_xml};
use super::read::{Node, OqsError};
use super::tree::{Element, TreeBuilder, XmlError};
use super::write::XmlWriter;
use crate::codes::SegmentOfResult;

/// The most bytes one unit (or any other element of a streamed file) may take: units are a few
/// kilobytes, so a larger one is a broken or hostile file, refused rather than held in memory.
pub const MAX_UNIT_BYTES: u64 = 1 << 20;

/// A whole bulk response: the header, the file-level 処理結果 when the body has one, the units,
/// and the unknown elements met (each path once, however many units repeat it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulkResponse<U> {
    /// `MessageHeader`.
    pub header: ResponseHeader,
    /// `MessageBody/ProcessingResult…` outside the units, when present.
    pub status: Option<ProcessingResult>,
    /// The units, in file order.
    pub units: Vec<U>,
    /// Paths of elements onshi does not know (kept aside and reported, never a failure).
    pub unknown_elements: Vec<String>,
}

type ParseUnit<U> = fn(&Node<'_>, &mut Vec<String>) -> Result<U, OqsError>;
type WriteUnit<U> = fn(&U, &mut XmlWriter);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    InBody,
    AfterBody,
    Done,
}

/// Reads a bulk response one unit at a time from any [`BufRead`] (a file, or a byte slice).
///
/// Construction reads the declaration and `MessageHeader`; iterating yields the units. After an
/// error the iterator ends. [`UnitReader::status`] and [`UnitReader::unknown_elements`] are
/// complete once the iterator has ended.
pub struct UnitReader<R, U> {
    cursor: Cursor<std::io::Chain<std::io::Cursor<Vec<u8>>, R>>,
    unit_name: &'static str,
    parse: ParseUnit<U>,
    header: ResponseHeader,
    /// The body's children other than units (only the 処理結果 elements are kept).
    body_rest: Element,
    status: Option<ProcessingResult>,
    unknown: Vec<String>,
    state: State,
}

/// The streaming reader and its one reusable event buffer.
struct Cursor<R> {
    reader: Reader<R>,
    buf: Vec<u8>,
    encoding: XmlEncoding,
}

enum Child {
    Element(Element),
    BodyStart { empty: bool },
    End,
}

impl<R: BufRead> Cursor<R> {
    fn error(&self, reason: String) -> OqsError {
        OqsError::Document(
            XmlError {
                position: self.reader.buffer_position(),
                reason,
            }
            .to_string(),
        )
    }

    /// Up to the root element's start tag, which must be `XmlMsg`.
    fn root(&mut self) -> Result<(), OqsError> {
        loop {
            self.buf.clear();
            match self.reader.read_event_into(&mut self.buf) {
                Ok(Event::Start(s)) => {
                    return check_root(&String::from_utf8_lossy(s.local_name().as_ref()));
                }
                Ok(Event::Empty(s)) => {
                    check_root(&String::from_utf8_lossy(s.local_name().as_ref()))?;
                    return Err(OqsError::Missing {
                        path: "XmlMsg/MessageHeader".to_owned(),
                    });
                }
                Ok(Event::Eof) => return Err(self.error("no root element".to_owned())),
                Ok(Event::End(_)) => {
                    return Err(self.error("closing tag without an opening one".to_owned()));
                }
                Ok(Event::Text(t)) if t.iter().any(|b| !b.is_ascii_whitespace()) => {
                    return Err(self.error("text outside the root element".to_owned()));
                }
                Ok(_) => {}
                Err(e) => return Err(self.error(e.to_string())),
            }
        }
    }

    /// The next child of the element the reader is in: a whole subtree, the start of
    /// `MessageBody` (when `body_starts` is set: at the root level), or the end of the element.
    fn next_child(&mut self, body_starts: bool) -> Result<Child, OqsError> {
        loop {
            self.buf.clear();
            let start = self.reader.buffer_position();
            let encoding = self.encoding;
            let mut builder = TreeBuilder::default();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => return Err(self.error(e.to_string())),
            };
            let done = match &event {
                Event::Start(s) | Event::Empty(s)
                    if body_starts && s.local_name().as_ref() == b"MessageBody" =>
                {
                    let empty = matches!(event, Event::Empty(_));
                    return Ok(Child::BodyStart { empty });
                }
                Event::Start(_) | Event::Empty(_) => {
                    builder.event(&event, |b: &[u8]| decode_text(b, encoding))
                }
                Event::End(_) => return Ok(Child::End),
                Event::Eof => {
                    return Err(
                        self.error("the document ends before its root element does".to_owned())
                    );
                }
                // Text between elements carries nothing in this interface.
                _ => continue,
            };
            return match done {
                Ok(Some(el)) => Ok(Child::Element(el)),
                Ok(None) => self.finish_subtree(builder, start).map(Child::Element),
                Err(e) => Err(self.error(e)),
            };
        }
    }

    fn finish_subtree(
        &mut self,
        mut builder: TreeBuilder,
        start: u64,
    ) -> Result<Element, OqsError> {
        let encoding = self.encoding;
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(Event::Eof) => {
                    return Err(self.error("the document ends inside an element".to_owned()));
                }
                Ok(e) => e,
                Err(e) => return Err(self.error(e.to_string())),
            };
            match builder.event(&event, |b: &[u8]| decode_text(b, encoding)) {
                Ok(Some(el)) => return Ok(el),
                Ok(None) => {}
                Err(e) => return Err(self.error(e)),
            }
            if self.reader.buffer_position().saturating_sub(start) > MAX_UNIT_BYTES {
                return Err(self.error(format!("an element larger than {MAX_UNIT_BYTES} bytes")));
            }
        }
    }
}

impl<R: BufRead, U> UnitReader<R, U> {
    /// Opens a file: reads its declaration and header, and stops at the first unit.
    pub(crate) fn open(
        mut source: R,
        unit_name: &'static str,
        parse: ParseUnit<U>,
    ) -> Result<Self, OqsError> {
        // The declaration (up to its `>`) decides the encoding; it is read ahead and put back.
        let mut head = Vec::with_capacity(128);
        (&mut source)
            .take(256)
            .read_until(b'>', &mut head)
            .map_err(|e| OqsError::Document(e.to_string()))?;
        let encoding = declared(&head).map_err(|e| OqsError::Document(e.to_string()))?;
        if head.starts_with(b"\xEF\xBB\xBF") {
            head.drain(..3);
        }
        let mut cursor = Cursor {
            reader: Reader::from_reader(std::io::Cursor::new(head).chain(source)),
            buf: Vec::with_capacity(4096),
            encoding,
        };
        cursor.root()?;
        let mut unknown = Vec::new();
        let mut header = None;
        let state = loop {
            match cursor.next_child(true)? {
                Child::Element(el) if el.name == "MessageHeader" && header.is_none() => {
                    let mut found = Vec::new();
                    header = Some(ResponseHeader::read(
                        &Node::new(&el, "XmlMsg/MessageHeader"),
                        &mut found,
                    )?);
                    note_unknown(&mut unknown, found);
                }
                Child::Element(el) => {
                    note_unknown(&mut unknown, vec![format!("XmlMsg/{}", el.name)]);
                }
                Child::BodyStart { empty } => {
                    if header.is_none() {
                        return Err(OqsError::Document(
                            "MessageHeader が MessageBody より前にありません (MessageHeader must come before MessageBody)".to_owned(),
                        ));
                    }
                    break if empty {
                        State::AfterBody
                    } else {
                        State::InBody
                    };
                }
                Child::End => {
                    let completed = header
                        .as_ref()
                        .is_some_and(|h| h.segment_of_result == SegmentOfResult::Completed);
                    if completed {
                        return Err(OqsError::Missing {
                            path: "XmlMsg/MessageBody".to_owned(),
                        });
                    }
                    break State::Done;
                }
            }
        };
        let header = header.ok_or_else(|| OqsError::Missing {
            path: "XmlMsg/MessageHeader".to_owned(),
        })?;
        Ok(Self {
            cursor,
            unit_name,
            parse,
            header,
            body_rest: Element {
                name: "MessageBody".to_owned(),
                ..Element::default()
            },
            status: None,
            unknown,
            state,
        })
    }

    /// The file's `MessageHeader`.
    pub fn header(&self) -> &ResponseHeader {
        &self.header
    }

    /// The encoding the file declares.
    pub fn encoding(&self) -> XmlEncoding {
        self.cursor.encoding
    }

    /// The file-level 処理結果 in `MessageBody`, once read (complete when the iterator has ended).
    pub fn status(&self) -> Option<&ProcessingResult> {
        self.status.as_ref()
    }

    /// Paths of unknown elements met so far, each once.
    pub fn unknown_elements(&self) -> &[String] {
        &self.unknown
    }

    /// Reads every unit into a [`BulkResponse`] (for files that fit in memory).
    pub fn collect_all(mut self) -> Result<BulkResponse<U>, OqsError> {
        let mut units = Vec::new();
        for unit in self.by_ref() {
            units.push(unit?);
        }
        Ok(BulkResponse {
            header: self.header,
            status: self.status,
            units,
            unknown_elements: self.unknown,
        })
    }

    fn next_unit(&mut self) -> Result<Option<U>, OqsError> {
        loop {
            match self.state {
                State::Done => return Ok(None),
                State::InBody => match self.cursor.next_child(false)? {
                    Child::Element(el) if el.name == self.unit_name => {
                        let path = format!("XmlMsg/MessageBody/{}", self.unit_name);
                        let mut found = Vec::new();
                        let unit = (self.parse)(&Node::new(&el, path), &mut found)?;
                        note_unknown(&mut self.unknown, found);
                        return Ok(Some(unit));
                    }
                    Child::Element(el) if PROCESSING_RESULT_KNOWN.contains(&el.name.as_str()) => {
                        // The first of each is read; repeats are not kept (memory stays bounded).
                        if self.body_rest.child(&el.name).is_none() {
                            self.body_rest.children.push(el);
                        }
                    }
                    Child::Element(el) => {
                        let path = format!("XmlMsg/MessageBody/{}", el.name);
                        note_unknown(&mut self.unknown, vec![path]);
                    }
                    Child::BodyStart { .. } => {}
                    Child::End => {
                        self.state = State::AfterBody;
                        self.status = ProcessingResult::read_optional(&Node::new(
                            &self.body_rest,
                            "XmlMsg/MessageBody",
                        ))?;
                    }
                },
                State::AfterBody => match self.cursor.next_child(false)? {
                    Child::Element(el) => {
                        note_unknown(&mut self.unknown, vec![format!("XmlMsg/{}", el.name)]);
                    }
                    Child::BodyStart { .. } => {}
                    Child::End => self.state = State::Done,
                },
            }
        }
    }
}

impl<R: BufRead, U> Iterator for UnitReader<R, U> {
    type Item = Result<U, OqsError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_unit() {
            Ok(unit) => unit.map(Ok),
            Err(e) => {
                self.state = State::Done;
                Some(Err(e))
            }
        }
    }
}

/// A streamed file that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output failed.
    #[error("書き込みに失敗しました: {0} (write failed)")]
    Io(#[from] std::io::Error),
    /// A value cannot be written in the file's encoding.
    #[error(transparent)]
    Encode(#[from] EncodeError),
}

/// The part before the first unit: declaration, `XmlMsg`, `MessageHeader`, `MessageBody` and
/// the file-level 処理結果.
fn write_head(
    w: &mut XmlWriter,
    header: &ResponseHeader,
    status: Option<&ProcessingResult>,
    encoding: XmlEncoding,
) {
    w.open("XmlMsg");
    header.write(w, encoding);
    w.open("MessageBody");
    if let Some(s) = status {
        s.write(w);
    }
}

fn write_tail(w: &mut XmlWriter) {
    w.close("MessageBody").close("XmlMsg");
}

/// Writes a bulk response unit by unit into any [`Write`]: the head when created, one encoded
/// unit per [`UnitWriter::write_unit`], the tail on [`UnitWriter::finish`]. `MessageBody` is always
/// written, even without units.
pub struct UnitWriter<W, U> {
    out: W,
    encoding: XmlEncoding,
    fragment: XmlWriter,
    write: WriteUnit<U>,
}

fn flush(out: &mut impl Write, text: &str, encoding: XmlEncoding) -> Result<(), WriteError> {
    match encoding {
        XmlEncoding::Utf8 => out.write_all(text.as_bytes())?,
        XmlEncoding::ShiftJis => out.write_all(&encode_xml(text, encoding)?)?,
    }
    Ok(())
}

impl<W: Write, U> UnitWriter<W, U> {
    pub(crate) fn start(
        mut out: W,
        header: &ResponseHeader,
        status: Option<&ProcessingResult>,
        encoding: XmlEncoding,
        write: WriteUnit<U>,
    ) -> Result<Self, WriteError> {
        let mut head = XmlWriter::new(encoding);
        write_head(&mut head, header, status, encoding);
        flush(&mut out, head.text(), encoding)?;
        Ok(Self {
            out,
            encoding,
            fragment: XmlWriter::fragment(2),
            write,
        })
    }

    /// Writes one unit.
    pub fn write_unit(&mut self, unit: &U) -> Result<(), WriteError> {
        self.fragment.clear();
        (self.write)(unit, &mut self.fragment);
        flush(&mut self.out, self.fragment.text(), self.encoding)
    }

    /// Writes every unit of an iterator (of units or references to them), one at a time.
    pub fn write_all<B: std::borrow::Borrow<U>>(
        &mut self,
        units: impl IntoIterator<Item = B>,
    ) -> Result<(), WriteError> {
        units
            .into_iter()
            .try_for_each(|u| self.write_unit(u.borrow()))
    }

    /// Closes the document and gives the output back.
    pub fn finish(mut self) -> Result<W, WriteError> {
        self.fragment.clear();
        write_tail(&mut self.fragment);
        flush(&mut self.out, self.fragment.text(), self.encoding)?;
        Ok(self.out)
    }
}

impl<U> BulkResponse<U> {
    /// The whole file in memory (the same bytes the streaming writer gives).
    pub(crate) fn write_with(
        &self,
        encoding: XmlEncoding,
        write: WriteUnit<U>,
    ) -> Result<Vec<u8>, EncodeError> {
        let mut w = XmlWriter::new(encoding);
        write_head(&mut w, &self.header, self.status.as_ref(), encoding);
        for unit in &self.units {
            write(unit, &mut w);
        }
        write_tail(&mut w);
        w.finish(encoding)
    }
}
