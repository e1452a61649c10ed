using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Ftrack.Core.Entities;

namespace Ftrack.Core.Json
{
    /// <summary>
    /// Decodes one complete JSON value into client values in a single pass: entities (merged
    /// through the identity map), dates, numbers, lists and plain dictionaries. Objects are
    /// collected into a reusable member stack first because "__entity_type__" may come last.
    /// </summary>
    internal sealed class ValueDecoder
    {
        private const string EntityTypeKey = "__entity_type__";
        private const string TypeKey = "__type__";
        private static readonly object BoxedTrue = true, BoxedFalse = false;
        private static readonly object[] SmallInts = BuildSmallInts();

        private readonly DecodeContext _context;
        private readonly List<KeyValuePair<string, object?>> _members = new(64);

        public ValueDecoder(DecodeContext context) { _context = context; }

        public DecodeContext Context => _context;

        /// <summary>Reads the value whose first token the reader is on; leaves the reader on its last token.</summary>
        public object? ReadValue(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String: return ReadString(ref reader);
                case JsonTokenType.Number: return ReadNumber(ref reader);
                case JsonTokenType.True: return BoxedTrue;
                case JsonTokenType.False: return BoxedFalse;
                case JsonTokenType.Null: return null;
                case JsonTokenType.StartArray:
                {
                    var list = new List<object?>();
                    while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray) list.Add(ReadValue(ref reader));
                    return list;
                }
                case JsonTokenType.StartObject: return ReadObject(ref reader);
                default: throw new JsonException("Unexpected token " + reader.TokenType + ".");
            }
        }

        /// <summary>
        /// Reads the next token. Running out of buffered bytes inside a value is not "the end": it
        /// throws <see cref="IncompleteValueException"/> so the caller can fetch more and decode again.
        /// </summary>
        private static bool Next(ref Utf8JsonReader reader)
        {
            if (reader.Read()) return true;
            throw IncompleteValueException.Instance;
        }

        private string ReadString(ref Utf8JsonReader reader)
        {
            if (!reader.HasValueSequence && !reader.ValueIsEscaped) return _context.Strings.Get(reader.ValueSpan);
            return reader.GetString()!;
        }

        private object ReadNumber(ref Utf8JsonReader reader)
        {
            var span = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
            if (Utf8Parser.TryParse(span, out long l, out var consumed) && consumed == span.Length)
                return l >= -128 && l < 1024 ? SmallInts[l + 128] : _context.Boxes.Integer(l);
            return _context.Boxes.Double(reader.GetDouble());
        }

        private object? ReadObject(ref Utf8JsonReader reader)
        {
            var start = _members.Count;
            string? entityType = null, valueType = null;
            object? typedValue = null;
            DateTime? parsedDate = null;
            var typedValueBytes = default(ReadOnlySpan<byte>);
            try
            {
                while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.HasValueSequence || reader.ValueIsEscaped ? string.Intern(reader.GetString()!) : _context.Strings.Get(reader.ValueSpan);
                    Next(ref reader);
                    if (name == EntityTypeKey && reader.TokenType == JsonTokenType.String)
                    {
                        entityType = ReadString(ref reader);
                        continue;
                    }
                    if (name == TypeKey && reader.TokenType == JsonTokenType.String)
                    {
                        valueType = ReadString(ref reader);
                        continue;
                    }
                    if (name == "value" && reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped)
                    {
                        // ftrack writes "__type__" first: parse the date from its bytes, no string needed.
                        if (parsedDate is null && (valueType == "datetime" || valueType == "date")
                            && FtrackDates.TryParse(reader.ValueSpan, valueType == "date" ? DateTimeKind.Unspecified : _context.DateKind, out var date))
                        {
                            parsedDate = date;
                            continue;
                        }
                        // Keep the raw bytes too: a {"__type__":"datetime"} value parses straight from them.
                        typedValueBytes = reader.ValueSpan;
                        typedValue = ReadString(ref reader);
                        _members.Add(new KeyValuePair<string, object?>(name, typedValue));
                        continue;
                    }
                    _members.Add(new KeyValuePair<string, object?>(name, ReadValue(ref reader)));
                }

                if (parsedDate is { } early && entityType == null && !HasMembersBeyond(start)) return _context.Boxes.Date(early);
                if (parsedDate is { } late) _members.Add(new KeyValuePair<string, object?>("value", _context.Boxes.Date(late)));
                if (valueType != null && entityType == null)
                {
                    typedValue ??= FindMember("value", start); // an escaped string took the general path
                    if (TryReadTypedValue(valueType, typedValueBytes, typedValue, out var typed)) return typed;
                    _members.Insert(start, new KeyValuePair<string, object?>(TypeKey, valueType));
                }
                return entityType != null ? MergeEntity(entityType, start) : ToDictionary(start);
            }
            finally
            {
                _members.RemoveRange(start, _members.Count - start);
            }
        }

        private bool TryReadTypedValue(string valueType, ReadOnlySpan<byte> bytes, object? text, out object? value)
        {
            value = null;
            if (valueType != "datetime" && valueType != "date") return false;
            if (text is null) return true; // {"__type__":"datetime","value":null}
            if (text is not string textValue) return false;
            var raw = bytes.IsEmpty ? System.Text.Encoding.UTF8.GetBytes(textValue) : bytes;
            if (!FtrackDates.TryParse(raw, valueType == "date" ? DateTimeKind.Unspecified : _context.DateKind, out var dt))
                throw new JsonException("Invalid " + valueType + " value '" + text + "'.");
            value = _context.Boxes.Date(dt);
            return true;
        }

        /// <summary>True when the object had members other than "__type__" and "value".</summary>
        private bool HasMembersBeyond(int start) => _members.Count > start;

        private FtrackEntity MergeEntity(string entityType, int start)
        {
            var shape = _context.Shapes.For(entityType);
            var key = KeyFromMembers(shape.PrimaryKey, start);
            var entity = key != null ? _context.IdentityMap.GetOrAdd(shape, key) : new FtrackEntity(shape);
            for (var i = start; i < _members.Count; i++)
            {
                var member = _members[i];
                entity.SetSlot(SlotOf(shape, member.Key), member.Value);
            }
            return entity;
        }

        // (shape, attribute name) → slot, by reference: member names come interned from the string
        // cache, so a repeated name is the same string and the shape's dictionary is asked once.
        private readonly SlotCacheEntry[] _slots = new SlotCacheEntry[256];

        private struct SlotCacheEntry
        {
            public EntityShape? Shape;
            public string? Name;
            public int Slot;
        }

        private int SlotOf(EntityShape shape, string name)
        {
            var index = (RuntimeHelpers.GetHashCode(name) ^ RuntimeHelpers.GetHashCode(shape)) & (_slots.Length - 1);
            ref var entry = ref _slots[index];
            if (ReferenceEquals(entry.Name, name) && ReferenceEquals(entry.Shape, shape)) return entry.Slot;
            var slot = shape.GetOrAdd(name);
            entry.Shape = shape;
            entry.Name = name;
            entry.Slot = slot;
            return slot;
        }

        private string? KeyFromMembers(string[] primaryKey, int start)
        {
            if (primaryKey.Length == 1) return IdentityMap.KeyPart(FindMember(primaryKey[0], start));
            var parts = new string[primaryKey.Length];
            for (var i = 0; i < primaryKey.Length; i++)
            {
                if (IdentityMap.KeyPart(FindMember(primaryKey[i], start)) is not { } part) return null;
                parts[i] = part;
            }
            return IdentityMap.CompositeKey(parts);
        }

        private object? FindMember(string name, int start)
        {
            for (var i = start; i < _members.Count; i++)
                if (string.Equals(_members[i].Key, name, StringComparison.Ordinal)) return _members[i].Value;
            return null;
        }

        private Dictionary<string, object?> ToDictionary(int start)
        {
            var dict = new Dictionary<string, object?>(_members.Count - start, StringComparer.Ordinal);
            for (var i = start; i < _members.Count; i++) dict[_members[i].Key] = _members[i].Value;
            return dict;
        }

        private static object[] BuildSmallInts()
        {
            var values = new object[1024 + 128];
            for (var i = 0; i < values.Length; i++) values[i] = i - 128;
            return values;
        }
    }

    /// <summary>The value being decoded continues beyond the buffered bytes (a control-flow signal, never surfaced).</summary>
    internal sealed class IncompleteValueException : Exception
    {
        public static readonly IncompleteValueException Instance = new();
        private IncompleteValueException() : base("The value continues beyond the buffered bytes.") { }
    }
}
