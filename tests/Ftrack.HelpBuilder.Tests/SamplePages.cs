namespace Ftrack.HelpBuilder.Tests;

/// <summary>Markdown pages for the tests: a complete one, and ways to break it.</summary>
internal static class SamplePages
{
    public const string Valid = """
---
external help file: Ftrack.dll-Help.xml
Module Name: Ftrack
online version: https://example.com/Get-FtrackThing
schema: 2.0.0
---

# Get-FtrackThing

## SYNOPSIS
Gets things from an ftrack server.

## SYNTAX

### ByName (Default)
```
Get-FtrackThing [[-Name] <String[]>] [-Session <FtrackSession>] [-WhatIf] [-Confirm] [<CommonParameters>]
```

### ById
```
Get-FtrackThing -Id <String> [-Session <FtrackSession>] [-WhatIf] [-Confirm] [<CommonParameters>]
```

## DESCRIPTION
Get-FtrackThing gets things.
It has a second line in the same paragraph.

A second paragraph with `code` & <angle brackets>.

- first item
- second item

## EXAMPLES

### Example 1: By name
```powershell
Get-FtrackThing -Name 'a*'
```

Gets the things whose names start with a.

### Example 2: By id
```powershell
Get-FtrackThing -Id 42 |
    Format-List
```

## PARAMETERS

### -Confirm
Prompts you for confirmation before running the cmdlet.

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases: cf

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

### -Id
The id.

```yaml
Type: String
Parameter Sets: ById
Aliases:

Required: True
Position: Named
Default value: None
Accept pipeline input: True (ByPropertyName)
Accept wildcard characters: False
```

### -Name
Names; wildcards allowed.

```yaml
Type: String[]
Parameter Sets: ByName
Aliases: ThingName, N
Accepted values: alpha, beta

Required: False
Position: 0
Default value: All
Accept pipeline input: True (ByValue, ByPropertyName)
Accept wildcard characters: True
```

### -Session
The session.

```yaml
Type: FtrackSession
Parameter Sets: (All)
Aliases:

Required: False
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### -WhatIf
Shows what would happen.

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases: wi

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### System.String
Names.

## OUTPUTS

### Ftrack.Thing
A thing.

## NOTES
Nothing to note.

## RELATED LINKS

[Online docs](https://example.com/things)

[about_Ftrack]()
""";

    public static string Replace(string oldText, string newText)
    {
        var page = Valid.Replace("\r\n", "\n");
        if (!page.Contains(oldText, StringComparison.Ordinal)) throw new ArgumentException("sample page has no '" + oldText + "'");
        return page.Replace(oldText, newText, StringComparison.Ordinal);
    }
}
