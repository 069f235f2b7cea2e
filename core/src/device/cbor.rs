//! The protocol's CBOR payloads: maps with text keys, each key once.

use ciborium::Value;

use super::{PROTOCOL_VERSION, ProtocolError};

/// Longest text field accepted (device ids, institution codes, paths).
const MAX_TEXT_BYTES: usize = 2048;

pub(super) fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// A map with text keys, in the order given.
pub(super) fn map_of(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (text(k), v)).collect())
}

pub(super) fn encode(value: &Value) -> Result<Vec<u8>, ProtocolError> {
    let mut out = Vec::with_capacity(160);
    ciborium::into_writer(value, &mut out).map_err(|_| ProtocolError::Malformed("cbor"))?;
    Ok(out)
}

/// The fields of a payload map, with its version checked.
pub(super) struct Fields(Vec<(String, Value)>);

impl Fields {
    /// Reads a CBOR map with text keys (a key given twice is refused) of protocol version 1.
    pub(super) fn read(bytes: &[u8]) -> Result<Self, ProtocolError> {
        let value: Value = ciborium::from_reader(bytes)
            .map_err(|_| ProtocolError::Malformed("payload not CBOR"))?;
        let Value::Map(entries) = value else {
            return Err(ProtocolError::Malformed("payload not a map"));
        };
        let mut out: Vec<(String, Value)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            let Value::Text(k) = k else {
                return Err(ProtocolError::Malformed("payload key not text"));
            };
            if out.iter().any(|(seen, _)| *seen == k) {
                return Err(ProtocolError::Malformed("payload key repeated"));
            }
            out.push((k, v));
        }
        let mut fields = Self(out);
        if fields.int("v")? != i128::from(PROTOCOL_VERSION) {
            return Err(ProtocolError::Malformed("unsupported protocol version"));
        }
        Ok(fields)
    }

    fn take(&mut self, name: &'static str) -> Result<Value, ProtocolError> {
        let i = self
            .0
            .iter()
            .position(|(k, _)| k == name)
            .ok_or(ProtocolError::Malformed(name))?;
        Ok(self.0.swap_remove(i).1)
    }

    pub(super) fn text(&mut self, name: &'static str) -> Result<String, ProtocolError> {
        match self.take(name)? {
            Value::Text(s) if s.len() <= MAX_TEXT_BYTES => Ok(s),
            _ => Err(ProtocolError::Malformed(name)),
        }
    }

    pub(super) fn int(&mut self, name: &'static str) -> Result<i128, ProtocolError> {
        match self.take(name)? {
            Value::Integer(i) => Ok(i128::from(i)),
            _ => Err(ProtocolError::Malformed(name)),
        }
    }

    /// Unix seconds.
    pub(super) fn epoch(&mut self, name: &'static str) -> Result<i64, ProtocolError> {
        i64::try_from(self.int(name)?).map_err(|_| ProtocolError::Malformed(name))
    }

    pub(super) fn bytes<const N: usize>(
        &mut self,
        name: &'static str,
    ) -> Result<[u8; N], ProtocolError> {
        match self.take(name)? {
            Value::Bytes(b) => b.try_into().map_err(|_| ProtocolError::Malformed(name)),
            _ => Err(ProtocolError::Malformed(name)),
        }
    }
}
