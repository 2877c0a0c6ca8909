using System.Xml;
using System.Xml.Linq;

namespace Breachline.Salesforce;

/// <summary>
/// Reads metadata XML without ever resolving a DTD or an external entity: a file that declares a DOCTYPE
/// (the carrier of XXE and "billion laughs" entity expansion) is refused, and documents are capped in size,
/// so a hostile export cannot read local files, reach the network or exhaust memory.
/// </summary>
public static class SecureXml
{
    /// <summary>Largest metadata document read, in characters. Real profiles of big orgs stay under 20 MB.</summary>
    public const long MaxCharacters = 64L * 1024 * 1024;

    /// <summary>Deepest element nesting read. Salesforce metadata nests fewer than ten levels.</summary>
    public const int MaxDepth = 256;

    /// <summary>The reader settings every metadata file is read with.</summary>
    public static XmlReaderSettings Settings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    /// <summary>Loads a document with line information.</summary>
    /// <exception cref="MetadataFileException">The file is not well-formed, declares a DTD, or is too large.</exception>
    public static XDocument Load(string path)
    {
        try
        {
            // Building a tree of very deeply nested elements takes time quadratic in the depth (100,000 levels:
            // minutes), so the depth is checked by a streaming pass before any tree is built.
            using (var scan = XmlReader.Create(File.OpenRead(path), Settings))
            {
                while (scan.Read())
                {
                    if (scan.Depth > MaxDepth)
                    {
                        throw new MetadataFileException(((IXmlLineInfo)scan).LineNumber, $"nests elements deeper than {MaxDepth} levels; refused");
                    }
                }
            }

            using var reader = XmlReader.Create(File.OpenRead(path), Settings);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw new MetadataFileException(e.LineNumber == 0 ? null : e.LineNumber, "declares a DTD (DOCTYPE); refused, because DTDs carry external entities (XXE) and entity expansion (billion laughs)", e);
        }
        catch (XmlException e) when (e.Message.Contains("MaxCharacters", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("exceed", StringComparison.OrdinalIgnoreCase))
        {
            throw new MetadataFileException(e.LineNumber == 0 ? null : e.LineNumber, $"is larger than the {MaxCharacters / (1024 * 1024)} MB limit for one metadata document", e);
        }
        catch (XmlException e)
        {
            throw new MetadataFileException(e.LineNumber == 0 ? null : e.LineNumber, $"is not well-formed XML: {e.Message}", e);
        }
    }
}

/// <summary>One metadata file could not be read; the reader records it and goes on with the others.</summary>
public sealed class MetadataFileException(int? line, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>1-based line of the problem, when the parser knows it.</summary>
    public int? Line { get; } = line;
}
