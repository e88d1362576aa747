<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AboutPage</name>
    <message numerus="yes">
        <source>%n module(s) installed</source>
        <translation>
            <numerusform>%n module installed</numerusform>
            <numerusform>%n modules installed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DueCard</name>
    <message numerus="yes">
        <source>Due in %n day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n module(s) left</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n minute(s)</source>
        <translation type="unfinished">
            <numerusform>about %n minute</numerusform>
            <numerusform>about %n minutes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message numerus="yes">
        <source>%1 of %n module(s) done</source>
        <translation>
            <numerusform>%1 of %n module done</numerusform>
            <numerusform>%1 of %n modules done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MarkdownView</name>
    <message numerus="yes">
        <source>Picture(s): %1</source>
        <translation>
            <numerusform>Picture: %1</numerusform>
            <numerusform>Pictures: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PlannerCard</name>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Quick review: %n question(s)</source>
        <translation>
            <numerusform>Quick review: %n question</numerusform>
            <numerusform>Quick review: %n questions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>I have %n minute(s)</source>
        <translation>
            <numerusform>I have %n minute</numerusform>
            <numerusform>I have %n minutes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PlayerPage</name>
    <message numerus="yes">
        <source>%1 · about %n minute(s) left</source>
        <translation>
            <numerusform>%1 · about %n minute left</numerusform>
            <numerusform>%1 · about %n minutes left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PreviewWindow</name>
    <message numerus="yes">
        <source>%n warning(s): the module works, but learners are better served when they are fixed</source>
        <translation>
            <numerusform>%n warning: the module works, but learners are better served when they are fixed</numerusform>
            <numerusform>%n warnings: the module works, but learners are better served when they are fixed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProblemsPage</name>
    <message numerus="yes">
        <source>This module cannot be shown yet: %n error(s)</source>
        <translation>
            <numerusform>This module cannot be shown yet: %n error</numerusform>
            <numerusform>This module cannot be shown yet: %n errors</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation type="unfinished">
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) spent</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Reminders</name>
    <message numerus="yes">
        <source>%n module(s) overdue</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n module(s) due this week</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReviewCard</name>
    <message numerus="yes">
        <source>%n question(s)</source>
        <translation>
            <numerusform>%n question</numerusform>
            <numerusform>%n questions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n minute(s)</source>
        <translation>
            <numerusform>about %n minute</numerusform>
            <numerusform>about %n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n due</source>
        <translation>
            <numerusform>%n due</numerusform>
            <numerusform>%n due</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message numerus="yes">
        <source>%n required module(s) left of %1.</source>
        <translation>
            <numerusform>%n required module left of %1.</numerusform>
            <numerusform>%n required modules left of %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>status_text</name>
    <message numerus="yes">
        <source>%n result(s) (was|were) refused by the central record</source>
        <translation>
            <numerusform>%n result was refused by the central record</numerusform>
            <numerusform>%n results were refused by the central record</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) waiting</source>
        <translation>
            <numerusform>%n result waiting</numerusform>
            <numerusform>%n results waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) waiting to sync</source>
        <translation>
            <numerusform>%n result waiting to sync</numerusform>
            <numerusform>%n results waiting to sync</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not connected to a central record — %n result(s) kept on this computer</source>
        <translation>
            <numerusform>Not connected to a central record — %n result kept on this computer</numerusform>
            <numerusform>Not connected to a central record — %n results kept on this computer</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Synced %n result(s)</source>
        <translation>
            <numerusform>Synced %n result</numerusform>
            <numerusform>Synced %n results</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%n record(s) could not be read and (was|were) skipped)</source>
        <translation>
            <numerusform> (%n record could not be read and was skipped)</numerusform>
            <numerusform> (%n records could not be read and were skipped)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restored %n result(s) from the central record</source>
        <translation>
            <numerusform>Restored %n result from the central record</numerusform>
            <numerusform>Restored %n results from the central record</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n minute ago</numerusform>
            <numerusform>%n minutes ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>%n hour ago</numerusform>
            <numerusform>%n hours ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
</context>
</TS>
