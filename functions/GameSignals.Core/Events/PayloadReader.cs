using System.Text.Json;

namespace GameSignals.Events;

/// <summary>
/// Builds the typed payload of a known event type, checking the JSON kind of every known field.
/// A field may be absent (null in the payload); present with the wrong kind, the event is poison.
/// With <c>materialize: false</c> it only checks kinds and allocates nothing but the discarded record,
/// which is how the decoder validates on its hot path.
/// </summary>
internal static class PayloadReader
{
    public static EventPayload? Read(string type, JsonElement data, bool materialize, out string? error)
    {
        var r = new Fields(data, materialize);
        EventPayload? payload = type switch
        {
            EventTypes.SessionStarted => new SessionStarted(
                r.Text("ip"), r.Text("deviceId"), r.Text("platform"), r.Text("clientVersion"),
                r.Text("clientSignature"), r.Text("locale"), r.Text("accountCountry")),
            EventTypes.SessionEnded => new SessionEnded(r.Number("durationSeconds")),
            EventTypes.HpChanged => new HpChanged(r.Number("hp"), r.Number("maxHp"), r.Flag("autoBattle"), r.Flag("inCombat"), r.Text("zone")),
            EventTypes.CharacterDied => new CharacterDied(r.Text("zone"), r.Text("cause")),
            EventTypes.LevelUp => new LevelUp(r.Number("level")),
            EventTypes.PvpMatchEnded => new PvpMatchEnded(r.Text("result"), r.Number("rating")),
            EventTypes.DungeonCleared => new DungeonCleared(r.Text("dungeonId"), r.Number("difficulty"), r.Number("durationSeconds")),
            EventTypes.QuestCompleted => new QuestCompleted(r.Text("questId"), r.Flag("main")),
            EventTypes.ItemSold => new ItemSold(r.Text("itemId"), r.Text("itemName"), r.Number("quantity"), r.Number("price")),
            EventTypes.InventoryFull => new InventoryFull(),
            EventTypes.AutoBattleStopped => new AutoBattleStopped(r.Text("reason")),
            EventTypes.PurchaseCompleted => new PurchaseCompleted(
                r.Text("orderId"), r.Text("store"), r.Text("productId"), r.Decimal("price"), r.Text("currency"),
                r.Text("storeCountry"), r.Text("ip"), r.Object("receipt")),
            EventTypes.PurchaseRefunded => new PurchaseRefunded(r.Text("orderId"), r.Text("store"), r.Text("reason")),
            _ => null,
        };
        error = r.Error;
        return error is null ? payload : null;
    }

    private struct Fields(JsonElement data, bool materialize)
    {
        public string? Error { get; private set; }

        public string? Text(string name) => Get(name, JsonValueKind.String, "a string") is { } e && materialize ? e.GetString() : null;

        public double? Number(string name) => Get(name, JsonValueKind.Number, "a number") is { } e && materialize ? e.GetDouble() : null;

        public decimal? Decimal(string name)
        {
            if (Get(name, JsonValueKind.Number, "a number") is not { } e)
            {
                return null;
            }

            if (e.TryGetDecimal(out var value))
            {
                return value;
            }

            Error ??= $"data.{name} is out of the decimal range";
            return null;
        }

        public bool? Flag(string name)
        {
            if (!TryGet(name, out var e))
            {
                return null;
            }

            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return e.GetBoolean();
            }

            Error ??= $"data.{name} must be a boolean, was {e.ValueKind}";
            return null;
        }

        public JsonElement Object(string name) => Get(name, JsonValueKind.Object, "an object") ?? default;

        private JsonElement? Get(string name, JsonValueKind kind, string expected)
        {
            if (!TryGet(name, out var e))
            {
                return null;
            }

            if (e.ValueKind == kind)
            {
                return e;
            }

            Error ??= $"data.{name} must be {expected}, was {e.ValueKind}";
            return null;
        }

        private readonly bool TryGet(string name, out JsonElement value)
        {
            value = default;
            return data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty(name, out value)
                && value.ValueKind != JsonValueKind.Null;
        }
    }
}
