// Reads dataset rows (DESIGN.md §7) from JSONL. Each line is validated field by field; a bad row is
// skipped and every problem is reported with file, line, field and what was expected. Blank lines are
// ignored. Unknown fields are ignored (ViRL39K exports carry more columns than the schema uses).
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rethinker.Data.Rows;

public sealed record JsonlReadOptions
{
    /// <summary>Report rows whose image files do not exist (paths resolved against the JSONL file's folder).</summary>
    public bool CheckImagesExist { get; init; } = true;
}

public static class JsonlDatasetReader
{
    static readonly string[] RethinkModes = ["none", "self_check", "self_correct"];

    public static DatasetLoad Read(string path, JsonlReadOptions? options = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"dataset file '{path}' does not exist", path);
        using var reader = new StreamReader(path);
        return Read(reader, path, Path.GetDirectoryName(Path.GetFullPath(path)), options);
    }

    /// <param name="baseDir">Folder image paths are relative to; null skips the existence check.</param>
    public static DatasetLoad Read(TextReader reader, string fileName, string? baseDir, JsonlReadOptions? options = null)
    {
        options ??= new JsonlReadOptions();
        var rows = new List<DatasetRow>();
        var issues = new List<RowIssue>();
        var firstLineOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNo = 0, skipped = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var problems = new List<(string Field, string Problem)>();
            var row = ParseRow(line, problems, options.CheckImagesExist ? baseDir : null);
            if (row is not null && firstLineOfId.TryGetValue(row.Id, out int first))
                problems.Add(("id", $"duplicate id '{row.Id}' (first on line {first}); expected ids to be unique"));
            if (row is null || problems.Count > 0)
            {
                skipped++;
                foreach (var (field, problem) in problems) issues.Add(new RowIssue(fileName, lineNo, field, problem));
                continue;
            }
            firstLineOfId[row.Id] = lineNo;
            rows.Add(row);
        }
        return new DatasetLoad(rows, issues, lineNo, skipped);
    }

    /// <summary>Parses one line; null (with problems) if it is not a usable row.</summary>
    internal static DatasetRow? ParseRow(string line, List<(string Field, string Problem)> problems, string? baseDir)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(line, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException e) { problems.Add(("(row)", $"expected one JSON object per line, but the line is not valid JSON ({e.Message})")); return null; }
        if (node is not JsonObject obj) { problems.Add(("(row)", $"expected a JSON object, got {Kind(node)}")); return null; }

        string? id = IdOrAnswer(obj, "id", problems);
        string? question = RequiredString(obj, "question", problems);
        string? answer = IdOrAnswer(obj, "answer", problems);
        var images = StringList(obj, "images", problems, required: true, allowEmpty: true) ?? [];
        var choices = StringList(obj, "choices", problems, required: false, allowEmpty: false);
        string? category = OptionalString(obj, "category", problems);
        string? source = OptionalString(obj, "source", problems);
        double? passRate = OptionalNumber(obj, "pass_rate", problems);
        if (passRate is < 0 or > 1 || passRate is double.NaN) problems.Add(("pass_rate", $"expected a number in [0, 1], got {passRate}"));
        string? task = OptionalString(obj, "task", problems);
        double? difficulty = OptionalNumber(obj, "difficulty", problems);
        if (difficulty is { } d && (d != Math.Floor(d) || d < 0)) problems.Add(("difficulty", $"expected a non-negative integer, got {d}"));
        string? answerType = OptionalString(obj, "answer_type", problems);
        string? rethink = OptionalString(obj, "rethink", problems);
        if (rethink is not null && !RethinkModes.Contains(rethink)) problems.Add(("rethink", $"expected one of {string.Join(", ", RethinkModes)}, got '{rethink}'"));
        var traces = Traces(obj, problems);
        var keySteps = KeySteps(obj, problems);
        JsonObject? scene = null;
        if (obj.TryGetPropertyValue("scene", out var sn) && sn is not null)
        {
            if (sn is JsonObject so) scene = (JsonObject)so.DeepClone();
            else problems.Add(("scene", $"expected a JSON object, got {Kind(sn)}"));
        }

        if (question is not null)
        {
            int placeholders = CountPlaceholders(question);
            if (placeholders > images.Count)
                problems.Add(("question", $"has {placeholders} {DatasetRow.ImagePlaceholder} placeholders but the row lists {images.Count} images; expected at most one placeholder per image"));
        }
        if (choices is not null && answer is not null)
        {
            if (choices.Count < 2) problems.Add(("choices", $"expected at least 2 options, got {choices.Count}"));
            else if (!(answer.Length == 1 && answer[0] - 'A' is >= 0 and var k && k < choices.Count) && !choices.Contains(answer))
                problems.Add(("answer", $"'{answer}' is neither an option letter A–{(char)('A' + choices.Count - 1)} nor one of the choices"));
        }
        for (int i = 0; i < images.Count; i++)
        {
            if (baseDir is null) break;
            string full = Path.IsPathRooted(images[i]) ? images[i] : Path.Combine(baseDir, images[i]);
            if (!File.Exists(full)) problems.Add(($"images[{i}]", $"file '{images[i]}' not found (looked for {full}); expected a path relative to the JSONL file"));
        }
        if (id is null || question is null || answer is null) return null;
        return new DatasetRow
        {
            Id = id, Question = question, Answer = answer, Images = images, Choices = choices, Category = category, Source = source,
            PassRate = passRate, Task = task, Difficulty = difficulty is { } dd ? (int)dd : null, AnswerType = answerType,
            Traces = traces, KeySteps = keySteps, Rethink = rethink, Scene = scene,
        };
    }

    public static int CountPlaceholders(string question)
    {
        int n = 0, i = 0;
        while ((i = question.IndexOf(DatasetRow.ImagePlaceholder, i, StringComparison.Ordinal)) >= 0) { n++; i += DatasetRow.ImagePlaceholder.Length; }
        return n;
    }

    static string Kind(JsonNode? n) => n switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string", JsonValueKind.Number => "a number", JsonValueKind.True or JsonValueKind.False => "a boolean", _ => "a value",
        },
        _ => "a value",
    };

    /// <summary>id / answer: a non-empty string, or a number (ViRL39K has numeric qids; some answers are bare numbers).</summary>
    static string? IdOrAnswer(JsonObject obj, string field, List<(string, string)> problems)
    {
        if (!obj.TryGetPropertyValue(field, out var n) || n is null) { problems.Add((field, "missing; expected a non-empty string")); return null; }
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.Number) return v.ToJsonString();
        if (n is JsonValue s && s.TryGetValue(out string? str))
        {
            if (str.Trim().Length == 0) { problems.Add((field, "is empty; expected a non-empty string")); return null; }
            return str;
        }
        problems.Add((field, $"expected a string, got {Kind(n)}"));
        return null;
    }

    static string? RequiredString(JsonObject obj, string field, List<(string, string)> problems)
    {
        if (!obj.TryGetPropertyValue(field, out var n) || n is null) { problems.Add((field, "missing; expected a non-empty string")); return null; }
        if (n is JsonValue v && v.TryGetValue(out string? s))
        {
            if (s.Trim().Length == 0) { problems.Add((field, "is empty; expected a non-empty string")); return null; }
            return s;
        }
        problems.Add((field, $"expected a string, got {Kind(n)}"));
        return null;
    }

    static string? OptionalString(JsonObject obj, string field, List<(string, string)> problems)
    {
        if (!obj.TryGetPropertyValue(field, out var n) || n is null) return null;
        if (n is JsonValue v && v.TryGetValue(out string? s)) return s;
        problems.Add((field, $"expected a string or null, got {Kind(n)}"));
        return null;
    }

    static double? OptionalNumber(JsonObject obj, string field, List<(string, string)> problems)
    {
        if (!obj.TryGetPropertyValue(field, out var n) || n is null) return null;
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.Number) return v.GetValue<double>();
        if (n is JsonValue s && s.TryGetValue(out string? str) && double.TryParse(str, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)) return parsed;
        problems.Add((field, $"expected a number or null, got {Kind(n)}"));
        return null;
    }

    static List<string>? StringList(JsonObject obj, string field, List<(string, string)> problems, bool required, bool allowEmpty)
    {
        if (!obj.TryGetPropertyValue(field, out var n) || n is null)
        {
            if (required) problems.Add((field, "missing; expected an array of strings (may be empty)"));
            return null;
        }
        if (n is not JsonArray arr) { problems.Add((field, $"expected an array of strings, got {Kind(n)}")); return null; }
        if (arr.Count == 0 && !allowEmpty) { problems.Add((field, "is empty; expected a non-empty array of strings or no field")); return null; }
        var list = new List<string>(arr.Count);
        for (int i = 0; i < arr.Count; i++)
        {
            if (arr[i] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0) list.Add(s);
            else { problems.Add(($"{field}[{i}]", $"expected a non-empty string, got {Kind(arr[i])}")); return null; }
        }
        return list;
    }

    static ReasoningTraces? Traces(JsonObject obj, List<(string, string)> problems)
    {
        if (!obj.TryGetPropertyValue("traces", out var n) || n is null) return null;
        if (n is not JsonObject t) { problems.Add(("traces", $"expected an object of trace strings, got {Kind(n)}")); return null; }
        string? Get(string key)
        {
            if (!t.TryGetPropertyValue(key, out var x) || x is null) return null;
            if (x is JsonValue v && v.TryGetValue(out string? s)) return s;
            problems.Add(($"traces.{key}", $"expected a string, got {Kind(x)}"));
            return null;
        }
        return new ReasoningTraces { Cot = Get("cot"), Think = Get("think"), LlavaCot = Get("llava_cot"), R1Vl = Get("r1vl") };
    }

    static List<IReadOnlyList<string>>? KeySteps(JsonObject obj, List<(string, string)> problems)
    {
        if (!obj.TryGetPropertyValue("key_steps", out var n) || n is null) return null;
        if (n is not JsonArray arr) { problems.Add(("key_steps", $"expected an array of arrays of strings, got {Kind(n)}")); return null; }
        var result = new List<IReadOnlyList<string>>();
        for (int i = 0; i < arr.Count; i++)
        {
            if (arr[i] is not JsonArray group || group.Count == 0 || group.Any(g => g is not JsonValue gv || !gv.TryGetValue(out string? _)))
            {
                problems.Add(($"key_steps[{i}]", $"expected a non-empty array of equivalent phrasings (strings), got {Kind(arr[i])}"));
                return null;
            }
            result.Add(group.Select(g => g!.GetValue<string>()).ToList());
        }
        return result;
    }
}
