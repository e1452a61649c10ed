using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using Ftrack.Core;
using Ftrack.Core.Entities;
using Ftrack.Core.Schema;

namespace Ftrack.PipeBinds
{
    /// <summary>
    /// Whatever names an entity, as Get-, Set- and Remove-FtrackEntity take it (the "pipe bind"
    /// pattern: PowerShell converts each input through the constructor that fits it): an entity
    /// object (kept as it is, so a batch folds its writes); an id, with -EntityType; a hashtable, an
    /// -AsHashtable row, a [pscustomobject] or a CSV row whose __entity_type__ (or EntityType) and key
    /// columns (id, any case) name one. Nothing is resolved until the cmdlet has the schemas: an entity
    /// named by type and key becomes an object of that type's shape, addressed without a query.
    /// </summary>
    public sealed class EntityPipeBind
    {
        private static readonly string[] TypeNames = { "__entity_type__", "EntityType" };

        private readonly FtrackEntity? _entity;
        private readonly string? _id;
        private readonly string? _entityType;
        private readonly Func<string, object?>? _member;
        private readonly string _input;

        /// <summary>An entity object: used as it is.</summary>
        public EntityPipeBind(FtrackEntity entity)
        {
            _entity = entity ?? throw new ArgumentNullException(nameof(entity));
            _input = entity.ToString();
        }

        /// <summary>An id: the entity type comes from -EntityType.</summary>
        public EntityPipeBind(string id)
        {
            _id = id;
            _input = "The id '" + id + "'";
        }

        /// <summary>A hashtable or -AsHashtable row with the type and key as entries.</summary>
        public EntityPipeBind(IDictionary table)
        {
            object? Entry(string name)
            {
                foreach (DictionaryEntry entry in table)
                    if (string.Equals(entry.Key as string, name, StringComparison.OrdinalIgnoreCase)) return PSObject.AsPSObject(entry.Value).BaseObject;
                return null;
            }
            _member = Entry;
            _entityType = TypeNames.Select(Entry).OfType<string>().FirstOrDefault();
            _input = "The hashtable with " + (table.Count == 0 ? "no keys" : "keys " + string.Join(", ", table.Keys.Cast<object>()));
        }

        /// <summary>Any other object: an entity or hashtable in a wrapper, or a [pscustomobject] or CSV row whose properties name one.</summary>
        public EntityPipeBind(PSObject value)
        {
            switch (value.BaseObject)
            {
                case FtrackEntity entity:
                    _entity = entity;
                    _input = entity.ToString();
                    return;
                case IDictionary table:
                    var fromTable = new EntityPipeBind(table);
                    _member = fromTable._member;
                    _entityType = fromTable._entityType;
                    _input = fromTable._input;
                    return;
                case string id:
                    _id = id;
                    _input = "The id '" + id + "'";
                    return;
            }
            // PSObject property lookups ignore case, as PowerShell users expect (Id, ID, id).
            object? Property(string name) => value.Properties[name] is { IsGettable: true } p ? PSObject.AsPSObject(p.Value).BaseObject : null;
            _member = Property;
            _entityType = TypeNames.Select(Property).OfType<string>().FirstOrDefault();
            _input = "The input '" + value + "'";
        }

        /// <summary>
        /// The entity: the object given, or one addressed by its type (the input's own, else
        /// <paramref name="entityType"/>) and key. Throws <see cref="FtrackUsageException"/> naming
        /// what is missing: the type (MissingEntityType), the key (MissingKey), or both (NotAnEntity).
        /// </summary>
        internal FtrackEntity Resolve(SchemaRegistry schemas, string? entityType)
        {
            if (_entity != null) return _entity;
            var type = _entityType ?? entityType;
            if (_id != null)
            {
                if (type is null) throw NoType();
                var schema = schemas.Require(type);
                return EntityAddress.For(schemas, schema.Id, key => schema.PrimaryKey.Length == 1 ? _id : null, _input);
            }
            if (type is null)
            {
                var hasId = _member?.Invoke("id") != null;
                if (hasId) throw NoType();
                throw new FtrackUsageException(FtrackErrorIds.NotAnEntity, _input + " does not name an entity: pipe entities (from Invoke-FtrackQuery), ids with -EntityType, "
                    + "or objects (hashtables, CSV rows) with an __entity_type__ (or EntityType) and an id.");
            }
            return EntityAddress.For(schemas, type, key => _member!(key), _input);
        }

        /// <summary>How the input reads in messages and error targets.</summary>
        public override string ToString() => _input;

        private FtrackUsageException NoType() => new(FtrackErrorIds.MissingEntityType,
            _input + " does not say which entity type it is: give -EntityType (e.g. -EntityType Task), or an __entity_type__ (or EntityType) column.");
    }
}
