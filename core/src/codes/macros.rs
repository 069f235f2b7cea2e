//! `code_table!`: one declaration gives a code table's enum, codes, labels, parsing and printing.

macro_rules! code_table {
    (
        $(#[$doc:meta])*
        $name:ident = $id:literal $title:literal {
            $( $(#[$vdoc:meta])* $variant:ident = $code:literal => $label:literal, )+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( #[doc = concat!("`", $code, "` ", $label)] $(#[$vdoc])* $variant, )+
        }

        impl $crate::codes::CodeTable for $name {
            const ID: &'static str = $id;
            const NAME: &'static str = $title;
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
            fn label_ja(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }
        }

        impl $name {
            /// The wire code.
            pub fn code(self) -> &'static str {
                <Self as $crate::codes::CodeTable>::code(self)
            }
            /// The Japanese label.
            pub fn label_ja(self) -> &'static str {
                <Self as $crate::codes::CodeTable>::label_ja(self)
            }
            /// Parses a wire code.
            pub fn from_code(code: &str) -> Result<Self, $crate::codes::UnknownCode> {
                <Self as $crate::codes::CodeTable>::from_code(code)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::codes::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::from_code(s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::from_code(&s).map_err(serde::de::Error::custom)
            }
        }

        impl std::fmt::Display for $name {
            /// The wire code.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

/// Lists the tables for lookup by identifier: `(id, parse-to-label)` pairs and codes.
macro_rules! code_tables_index {
    ($($name:ident),+ $(,)?) => {
        /// Every table: its identifier and a function from code to label.
        pub(crate) const LOOKUP: &[(&str, fn(&str) -> Result<&'static str, super::UnknownCode>)] = &[
            $( (<$name as super::CodeTable>::ID, |c| $name::from_code(c).map($name::label_ja)) ),+
        ];

        /// The codes of the table `id`, in order.
        pub fn codes_of(id: &str) -> Vec<&'static str> {
            $(
                if id == <$name as super::CodeTable>::ID {
                    return <$name as super::CodeTable>::ALL.iter().map(|v| v.code()).collect();
                }
            )+
            Vec::new()
        }

        /// Every table's identifier.
        pub fn table_ids() -> Vec<&'static str> {
            LOOKUP.iter().map(|(id, _)| *id).collect()
        }
    };
}
