using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using HostPanel.Core.Apps.Planning;
using HostPanel.Core.Catalog.Loading;
using HostPanel.Core.Catalog.Model;
using HostPanel.Core.Catalog.Schema;
using HostPanel.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HostPanel.Cli.Catalog;

/// <summary>`hostpanel catalog …`: the apps HostPanel can install.</summary>
internal static class CatalogCommands
{
    public const int ExitInvalid = 1;

    public static Command Build(GlobalOptions globals, TextWriter output, TextWriter error)
    {
        var catalog = new Command("catalog", CliText.Get("CatalogDescription"));

        var directory = new Argument<string?>("DIR") { Description = CliText.Get("CatalogDirArgument"), Arity = ArgumentArity.ZeroOrOne };
        var validate = new Command("validate", CliText.Get("CatalogValidateDescription")) { directory };
        validate.SetAction(async (parsed, ct) =>
        {
            var folder = parsed.GetValue(directory) ?? CatalogDirectory(parsed, globals);
            var result = CatalogLoader.LoadDirectory(folder);
            foreach (var problem in result.Errors)
            {
                await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
            }

            if (!result.IsValid)
            {
                await error.WriteLineAsync(CliText.Format("CatalogInvalid", result.Errors.Count, folder)).ConfigureAwait(false);
                return ExitInvalid;
            }

            await output.WriteLineAsync(CliText.Format("CatalogValid", result.Apps.Count, folder)).ConfigureAwait(false);
            return 0;
        });

        var json = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var list = new Command("list", CliText.Get("CatalogListDescription")) { json };
        list.SetAction(async (parsed, ct) =>
        {
            if (await LoadAsync(parsed, globals, error).ConfigureAwait(false) is not { } apps)
            {
                return ExitInvalid;
            }

            if (parsed.GetValue(json))
            {
                var rows = apps.Select(a => new { id = a.Manifest.Id, name = a.Manifest.Name, version = a.Manifest.Version, revision = a.Manifest.Revision });
                await output.WriteLineAsync(JsonSerializer.Serialize(rows, Json)).ConfigureAwait(false);
            }
            else
            {
                foreach (var app in apps)
                {
                    await output.WriteLineAsync($"{app.Manifest.Id,-22} {app.Manifest.Version,-12} {app.Manifest.Name}").ConfigureAwait(false);
                }
            }

            return 0;
        });

        var id = new Argument<string>("ID") { Description = CliText.Get("CatalogIdArgument") };
        var showJson = new Option<bool>("--json") { Description = CliText.Get("JsonOption") };
        var show = new Command("show", CliText.Get("CatalogShowDescription")) { id, showJson };
        show.SetAction(async (parsed, ct) =>
        {
            if (await LoadAsync(parsed, globals, error).ConfigureAwait(false) is not { } apps)
            {
                return ExitInvalid;
            }

            var wanted = parsed.GetValue(id);
            if (apps.FirstOrDefault(a => a.Manifest.Id == wanted) is not { } app)
            {
                await error.WriteLineAsync(CliText.Format("CatalogNoSuchApp", wanted, string.Join(", ", apps.Select(a => a.Manifest.Id)))).ConfigureAwait(false);
                return ExitInvalid;
            }

            await output.WriteLineAsync(parsed.GetValue(showJson) ? JsonSerializer.Serialize(app.Manifest, Json) : Describe(app.Manifest)).ConfigureAwait(false);
            return 0;
        });

        var schema = new Command("schema", CliText.Get("CatalogSchemaDescription"));
        schema.SetAction(async (_, _) =>
        {
            await output.WriteAsync(ManifestJsonSchema.Generate()).ConfigureAwait(false);
            return 0;
        });

        catalog.Add(validate);
        catalog.Add(list);
        catalog.Add(show);
        catalog.Add(schema);
        return catalog;
    }

    private static string CatalogDirectory(ParseResult parsed, GlobalOptions globals)
    {
        using var services = CliHost.Build(parsed, globals);
        return services.GetRequiredService<IOptions<HostPanelOptions>>().Value.ResolveCatalogDirectory();
    }

    private static async Task<IReadOnlyList<CatalogApp>?> LoadAsync(ParseResult parsed, GlobalOptions globals, TextWriter error)
    {
        var folder = CatalogDirectory(parsed, globals);
        var result = CatalogLoader.LoadDirectory(folder);
        if (result.IsValid)
        {
            return result.Apps;
        }

        foreach (var problem in result.Errors)
        {
            await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
        }

        await error.WriteLineAsync(CliText.Format("CatalogInvalid", result.Errors.Count, folder)).ConfigureAwait(false);
        return null;
    }

    private static string Describe(AppManifest m)
    {
        var language = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var lines = new List<string>
        {
            $"{m.Name} ({m.Id}) {m.Version} r{m.Revision}",
            m.Description.In(language),
            CliText.Format("CatalogShowResources", m.Resources.RamMin, m.Resources.CpuMin, m.Resources.DiskMin),
            m.Domain.Changeable ? CliText.Get("CatalogShowDomainChangeable") : CliText.Get("CatalogShowDomainPermanent"),
            CliText.Format("CatalogShowServices", string.Join(", ", m.Services.Select(s => $"{s.Key} ({s.Value.Image})"))),
            SsoPlanning.SignInOf(m) switch
            {
                MemberSignIn.PanelAccount => CliText.Get("CatalogShowSsoPanel"),
                MemberSignIn.SetUpByHand => CliText.Get("CatalogShowSsoManual"),
                _ => CliText.Get("CatalogShowSsoNone"),
            },
        };
        lines.AddRange((m.Warnings ?? []).Select(w => "! " + w.In(language)));
        return string.Join(Environment.NewLine, lines);
    }

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new ByteSizeConverter(), new DurationConverter(), new KebabEnumConverter() },
    };

    private sealed class ByteSizeConverter : JsonConverter<ByteSize>
    {
        public override ByteSize Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, ByteSize value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Bytes);
    }

    private sealed class DurationConverter : JsonConverter<Duration>
    {
        public override Duration Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Duration value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Value.TotalSeconds);
    }

    private sealed class KebabEnumConverter : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(EnumConverter<>).MakeGenericType(typeToConvert))!;

        private sealed class EnumConverter<T> : JsonConverter<T>
            where T : struct, Enum
        {
            public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
                writer.WriteStringValue(YamlSpelling.Of(value));
        }
    }
}
