; Inno Setup 6 script: a per-machine install of the one-folder bundle (dist\<name>\).
;
; The app's facts come from the package, never from this file; CI passes them in:
;   iscc /DAppName=microlearn /DAppDisplayName=Microlearn /DAppId=com.microlearn.Microlearn ^
;        /DAppVersion=0.1.0 /DBundleDir=..\..\dist\microlearn /DOutputDir=..\..\dist microlearn.iss
; (the values are printed by `python installer/app_metadata.py name|display_name|app_id|version`).
;
; Silent install for IT (per machine, needs an elevated account such as SYSTEM in Intune/SCCM):
;   microlearn-<version>-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /LOG="C:\Windows\Temp\microlearn-install.log"
; Silent removal: "%ProgramFiles%\Microlearn\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Learners' data (%LOCALAPPDATA%\microlearn) is never touched by either.

#ifndef AppName
  #error Pass /DAppName=... (python installer/app_metadata.py name)
#endif
#ifndef AppDisplayName
  #error Pass /DAppDisplayName=... (python installer/app_metadata.py display_name)
#endif
#ifndef AppId
  #error Pass /DAppId=... (python installer/app_metadata.py app_id)
#endif
#ifndef AppVersion
  #error Pass /DAppVersion=... (python installer/app_metadata.py version)
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\" + AppName
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef IconFile
  #define IconFile "..\..\resources\icons\" + AppName + ".ico"
#endif

[Setup]
AppId={#AppId}
AppName={#AppDisplayName}
AppVersion={#AppVersion}
AppVerName={#AppDisplayName} {#AppVersion}
AppPublisher={#AppDisplayName}
VersionInfoVersion={#AppVersion}
; Per machine: Program Files, an all-users Start menu entry, the uninstall entry under HKLM.
PrivilegesRequired=admin
DefaultDirName={autopf}\{#AppDisplayName}
DisableDirPage=auto
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
; The bundle is 64-bit: refuse 32-bit Windows, install into the 64-bit Program Files.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 supports Windows 10 and later.
MinVersion=10.0
; An upgrade while a learner has the app open: close it (Restart Manager), replace, no reboot.
CloseApplications=force
RestartApplications=no
UninstallDisplayIcon={app}\{#AppName}.exe
UninstallDisplayName={#AppDisplayName}
OutputDir={#OutputDir}
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile={#IconFile}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Files]
; The whole bundle; a file left from an older version is replaced, never kept.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade starts from a clean program folder, so no file of an older bundle lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppDisplayName}"; Filename: "{app}\{#AppName}.exe"; Comment: "Short offline learning modules"

[Run]
; Offered after an interactive install only; a silent install does not start the app.
Filename: "{app}\{#AppName}.exe"; Description: "{cm:LaunchProgram,{#AppDisplayName}}"; Flags: nowait postinstall skipifsilent
