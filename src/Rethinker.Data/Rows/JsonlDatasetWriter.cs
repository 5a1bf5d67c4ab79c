// Writes dataset rows as JSONL (one object per line, snake_case fields of DESIGN.md §7). Optional fields
// are left out when absent. HTML-sensitive characters are not escaped, so "<image>" stays readable.
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rethinker.Data.Rows;

public static class JsonlDatasetWriter
{
    static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };
    static readonly byte[] Newline = "\n"u8.ToArray();

    public static void Write(string path, IEnumerable<DatasetRow> rows)
    {
        using var stream = File.Create(path);
        Write(stream, rows);
    }

    public static void Write(Stream stream, IEnumerable<DatasetRow> rows)
    {
        foreach (var row in rows)
        {
            using (var w = new Utf8JsonWriter(stream, Options)) WriteRow(w, row);
            stream.Write(Newline);
        }
    }

    public static string ToJson(DatasetRow row)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, Options)) WriteRow(w, row);
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    static void WriteRow(Utf8JsonWriter w, DatasetRow row)
    {
        w.WriteStartObject();
        w.WriteString("id", row.Id);
        w.WriteString("question", row.Question);
        w.WriteString("answer", row.Answer);
        WriteStrings(w, "images", row.Images);
        if (row.Choices is not null) WriteStrings(w, "choices", row.Choices);
        if (row.Category is not null) w.WriteString("category", row.Category);
        if (row.Source is not null) w.WriteString("source", row.Source);
        if (row.PassRate is { } p) w.WriteNumber("pass_rate", p);
        if (row.Task is not null) w.WriteString("task", row.Task);
        if (row.Difficulty is { } d) w.WriteNumber("difficulty", d);
        if (row.AnswerType is not null) w.WriteString("answer_type", row.AnswerType);
        if (row.Rethink is not null) w.WriteString("rethink", row.Rethink);
        if (row.Traces is { } t)
        {
            w.WriteStartObject("traces");
            if (t.Cot is not null) w.WriteString("cot", t.Cot);
            if (t.Think is not null) w.WriteString("think", t.Think);
            if (t.LlavaCot is not null) w.WriteString("llava_cot", t.LlavaCot);
            if (t.R1Vl is not null) w.WriteString("r1vl", t.R1Vl);
            w.WriteEndObject();
        }
        if (row.KeySteps is not null)
        {
            w.WriteStartArray("key_steps");
            foreach (var group in row.KeySteps)
            {
                w.WriteStartArray();
                foreach (var s in group) w.WriteStringValue(s);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        if (row.Scene is not null) { w.WritePropertyName("scene"); row.Scene.WriteTo(w); }
        w.WriteEndObject();
    }

    static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> items)
    {
        w.WriteStartArray(name);
        foreach (var s in items) w.WriteStringValue(s);
        w.WriteEndArray();
    }
}
