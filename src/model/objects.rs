//! The object form, and only it, for every part of the model.
//!
//! serde's derived structs also accept a JSON array of the fields in order (`[null, {"title": …}]` would
//! be an article), a form no schema user means and that hides mistakes. Each struct derives its
//! deserializer as an inherent function (`#[serde(remote = "Self")]`) and [`only_objects!`] implements
//! the trait around it: a JSON object goes through the derived code, anything else is refused by the
//! JSON parser with its position. Tagged values (a block, an inline object) must have exactly one key.

use serde::de::{Error, MapAccess, Visitor};

/// Implements `Deserialize` (objects only) and `Serialize` for structs that derive both with
/// `#[serde(remote = "Self")]`; the text says what is expected, in the error of any other form.
macro_rules! only_objects {
    ($($name:ident: $expected:literal),* $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;
                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str($expected)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<$name, A::Error> {
                        $name::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    }
                }
                d.deserialize_map(ObjectVisitor)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $name::serialize(self, s)
            }
        }
    )*};
}

pub(crate) use only_objects;

/// Reads an object that must hold exactly one of `kinds` as its only key; `value` reads the value of
/// the key found (a kind from `kinds`).
pub fn one_key<'de, A: MapAccess<'de>, T>(
    mut map: A,
    kinds: &'static [&'static str],
    value: impl FnOnce(&str, &mut A) -> Result<T, A::Error>,
) -> Result<T, A::Error> {
    let Some(kind) = map.next_key::<String>()? else {
        return Err(A::Error::custom(format!(
            "an empty object, expected one key: {}",
            kinds.join(", ")
        )));
    };
    if !kinds.contains(&kind.as_str()) {
        return Err(A::Error::unknown_variant(&kind, kinds));
    }
    let found = value(&kind, &mut map)?;
    if let Some(other) = map.next_key::<String>()? {
        return Err(A::Error::custom(format!(
            "exactly one key expected, found \"{kind}\" and \"{other}\""
        )));
    }
    Ok(found)
}

/// A number given where a number is optional (a width): read as `f32`; any other JSON value is refused
/// as "expected a number" rather than in Rust's words ("expected f32").
pub fn number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f32>, D::Error> {
    struct NumberVisitor;
    impl Visitor<'_> for NumberVisitor {
        type Value = f32;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a number")
        }
        fn visit_f64<E: Error>(self, v: f64) -> Result<f32, E> {
            Ok(v as f32)
        }
        fn visit_i64<E: Error>(self, v: i64) -> Result<f32, E> {
            Ok(v as f32)
        }
        fn visit_u64<E: Error>(self, v: u64) -> Result<f32, E> {
            Ok(v as f32)
        }
    }
    d.deserialize_any(NumberVisitor).map(Some)
}
