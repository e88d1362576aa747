<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>AboutPage</name>
    <message>
        <source>About %1</source>
        <translation>Acerca de %1</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Acerca de</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Versión</translation>
    </message>
    <message>
        <source>%1 %2 (Qt for Python %3, Python %4, %5)</source>
        <translation>%1 %2 (Qt for Python %3, Python %4, %5)</translation>
    </message>
    <message>
        <source>Recorded as</source>
        <translation>Registrado como</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1 en %2</translation>
    </message>
    <message>
        <source>Identity comes from</source>
        <translation>La identidad viene de</translation>
    </message>
    <message>
        <source>the computer&apos;s sign-in name</source>
        <translation>tu nombre de inicio de sesión en el equipo</translation>
    </message>
    <message>
        <source>your organisation&apos;s settings</source>
        <translation>la configuración de tu organización</translation>
    </message>
    <message>
        <source>Learning content</source>
        <translation>Contenido de aprendizaje</translation>
    </message>
    <message numerus="yes">
        <source>%n module(s) installed</source>
        <translation>
            <numerusform>%n módulo instalado</numerusform>
            <numerusform>%n módulos instalados</numerusform>
        </translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>%1 waiting to sync, %2 synced</source>
        <translation>%1 por sincronizar, %2 sincronizados</translation>
    </message>
    <message>
        <source>Learning data folder</source>
        <translation>Carpeta de datos de aprendizaje</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>Carpeta de registros</translation>
    </message>
</context>
<context>
    <name>CertaintyPrompt</name>
    <message>
        <source>How sure are you?</source>
        <translation>¿Qué seguridad tienes?</translation>
    </message>
    <message>
        <source>Press 1, 2 or 3 to answer and submit. Escape changes your answer.</source>
        <translation>Pulsa 1, 2 o 3 para responder y enviar. Escape cambia tu respuesta.</translation>
    </message>
    <message>
        <source>Not sure</source>
        <translation>No estoy seguro</translation>
    </message>
    <message>
        <source>Fairly sure</source>
        <translation>Bastante seguro</translation>
    </message>
    <message>
        <source>Sure</source>
        <translation>Seguro</translation>
    </message>
    <message>
        <source>%1.  %2</source>
        <translation>%1.  %2</translation>
    </message>
</context>
<context>
    <name>Certificate</name>
    <message>
        <source>Certificate: %1</source>
        <translation>Certificado: %1</translation>
    </message>
    <message>
        <source>CERTIFICATE OF COMPLETION</source>
        <translation>CERTIFICADO DE FINALIZACIÓN</translation>
    </message>
    <message>
        <source>This certifies that</source>
        <translation>Se certifica que</translation>
    </message>
    <message>
        <source>has completed every module of the learning track</source>
        <translation>ha completado todos los módulos del itinerario de aprendizaje</translation>
    </message>
    <message>
        <source>on %1</source>
        <translation>el %1</translation>
    </message>
    <message>
        <source>Modules completed</source>
        <translation>Módulos completados</translation>
    </message>
    <message>
        <source>%1 (version %2)</source>
        <translation>%1 (versión %2)</translation>
    </message>
    <message>
        <source>Valid until %1</source>
        <translation>Válido hasta el %1</translation>
    </message>
    <message>
        <source>Verification code: %1</source>
        <translation>Código de verificación: %1</translation>
    </message>
    <message>
        <source>Your organisation can confirm this certificate in its learning record. Certificate %1</source>
        <translation>Tu organización puede confirmar este certificado en su registro de aprendizaje. Certificado %1</translation>
    </message>
</context>
<context>
    <name>DueCard</name>
    <message>
        <source>Overdue since %1</source>
        <translation>Vencido desde el %1</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>Vence hoy</translation>
    </message>
    <message numerus="yes">
        <source>Due in %n day(s)</source>
        <translation>
            <numerusform>Vence en %n día</numerusform>
            <numerusform>Vence en %n días</numerusform>
        </translation>
    </message>
    <message>
        <source>Due %1</source>
        <translation>Vence el %1</translation>
    </message>
    <message>
        <source>Everything assigned to you is done. Well done!</source>
        <translation>Has terminado todo lo que tenías asignado. ¡Bien hecho!</translation>
    </message>
    <message numerus="yes">
        <source>%n module(s) left</source>
        <translation>
            <numerusform>Queda %n módulo</numerusform>
            <numerusform>Quedan %n módulos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n minute(s)</source>
        <translation>
            <numerusform>unos %n minuto</numerusform>
            <numerusform>unos %n minutos</numerusform>
        </translation>
    </message>
    <message>
        <source>next due %1</source>
        <translation>el próximo vence el %1</translation>
    </message>
    <message>
        <source>What is due</source>
        <translation>Lo que vence</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <source>Library</source>
        <translation>Biblioteca</translation>
    </message>
    <message>
        <source>No learning content is installed yet.</source>
        <translation>Todavía no hay contenido de aprendizaje instalado.</translation>
    </message>
    <message>
        <source>Required for me</source>
        <translation>Obligatorio para mí</translation>
    </message>
    <message>
        <source>Show only what is required for me</source>
        <translation>Mostrar solo lo obligatorio para mí</translation>
    </message>
    <message>
        <source>For: %1</source>
        <translation>Para: %1</translation>
    </message>
    <message>
        <source>%1 · Required</source>
        <translation>%1 · Obligatorio</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n module(s) done</source>
        <translation>
            <numerusform>%1 de %n módulo terminado</numerusform>
            <numerusform>%1 de %n módulos terminados</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minuto</numerusform>
            <numerusform>%n minutos</numerusform>
        </translation>
    </message>
    <message>
        <source>version %1</source>
        <translation>versión %1</translation>
    </message>
    <message>
        <source>content due for review %1</source>
        <translation>revisión del contenido prevista el %1</translation>
    </message>
    <message>
        <source>best score %1%</source>
        <translation>mejor puntuación: %1 %</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Microlearn could not open your learning data. Nothing has been deleted. Please restart the app; if this happens again, contact IT and mention the log folder shown under About.</source>
        <translation>Microlearn no pudo abrir tus datos de aprendizaje. No se ha borrado nada. Vuelve a abrir la aplicación; si vuelve a pasar, avisa a TI y menciona la carpeta de registros que aparece en «Acerca de».</translation>
    </message>
    <message>
        <source>Microlearn cannot start</source>
        <translation>Microlearn no puede iniciarse</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Sin empezar</translation>
    </message>
</context>
<context>
    <name>MarkdownView</name>
    <message numerus="yes">
        <source>Picture(s): %1</source>
        <translation>
            <numerusform>Imagen: %1</numerusform>
            <numerusform>Imágenes: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModuleFlow</name>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>OutboxTableModel</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>PlannerCard</name>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minuto</numerusform>
            <numerusform>%n minutos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Quick review: %n question(s)</source>
        <translation>
            <numerusform>Repaso rápido: %n pregunta</numerusform>
            <numerusform>Repaso rápido: %n preguntas</numerusform>
        </translation>
    </message>
    <message>
        <source>Finish “%1”</source>
        <translation>Terminar «%1»</translation>
    </message>
    <message>
        <source>Continue “%1”, %2 more steps</source>
        <translation>Seguir con «%1», %2 pasos más</translation>
    </message>
    <message>
        <source>Start “%1”</source>
        <translation>Empezar «%1»</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Plan my free minutes</source>
        <translation>Planear mis minutos libres</translation>
    </message>
    <message>
        <source>How many minutes do you have?</source>
        <translation>¿Cuántos minutos tienes?</translation>
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
            <numerusform>Tengo %n minuto</numerusform>
            <numerusform>Tengo %n minutos</numerusform>
        </translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Other number of minutes</source>
        <translation>Otro número de minutos</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Planear</translation>
    </message>
    <message>
        <source>Plan the minutes typed</source>
        <translation>Planear los minutos escritos</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Empezar</translation>
    </message>
    <message>
        <source>Start: %1</source>
        <translation>Empezar: %1</translation>
    </message>
    <message>
        <source>About %1 of your %2.</source>
        <translation>Unos %1 de tus %2.</translation>
    </message>
    <message>
        <source>Nothing fits in that time. A card takes a minute or two: try a few more minutes.</source>
        <translation>No cabe nada en ese tiempo. Una tarjeta lleva un minuto o dos: prueba con unos minutos más.</translation>
    </message>
</context>
<context>
    <name>PlayerPage</name>
    <message>
        <source>Module player</source>
        <translation>Reproductor del módulo</translation>
    </message>
    <message>
        <source>← Save and exit</source>
        <translation>← Guardar y salir</translation>
    </message>
    <message>
        <source>Save and exit the module</source>
        <translation>Guardar y salir del módulo</translation>
    </message>
    <message>
        <source>Where you are</source>
        <translation>Dónde estás</translation>
    </message>
    <message>
        <source>Progress through the module</source>
        <translation>Avance en el módulo</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Tarjeta</translation>
    </message>
    <message>
        <source>← Back</source>
        <translation>← Atrás</translation>
    </message>
    <message>
        <source>Previous card</source>
        <translation>Tarjeta anterior</translation>
    </message>
    <message>
        <source>Next →</source>
        <translation>Siguiente →</translation>
    </message>
    <message>
        <source>Next card</source>
        <translation>Tarjeta siguiente</translation>
    </message>
    <message>
        <source>Go to the knowledge check</source>
        <translation>Ir a la prueba de conocimientos</translation>
    </message>
    <message>
        <source>Go straight to the knowledge check</source>
        <translation>Ir directamente a la prueba de conocimientos</translation>
    </message>
    <message>
        <source>You have seen these cards before; you can still read them with Next</source>
        <translation>Ya has visto estas tarjetas; puedes volver a leerlas con «Siguiente»</translation>
    </message>
    <message>
        <source>Card %1 of %2</source>
        <translation>Tarjeta %1 de %2</translation>
    </message>
    <message>
        <source>Question %1 of %2</source>
        <translation>Pregunta %1 de %2</translation>
    </message>
    <message numerus="yes">
        <source>%1 · about %n minute(s) left</source>
        <translation>
            <numerusform>%1 · queda %n minuto aprox.</numerusform>
            <numerusform>%1 · quedan unos %n minutos</numerusform>
        </translation>
    </message>
    <message>
        <source>Previous question</source>
        <translation>Pregunta anterior</translation>
    </message>
    <message>
        <source>Start the knowledge check →</source>
        <translation>Empezar la prueba de conocimientos →</translation>
    </message>
    <message>
        <source>Start the knowledge check</source>
        <translation>Empezar la prueba de conocimientos</translation>
    </message>
    <message>
        <source>See my results →</source>
        <translation>Ver mis resultados →</translation>
    </message>
    <message>
        <source>Next question →</source>
        <translation>Siguiente pregunta →</translation>
    </message>
    <message>
        <source>See my results</source>
        <translation>Ver mis resultados</translation>
    </message>
    <message>
        <source>Next question</source>
        <translation>Siguiente pregunta</translation>
    </message>
    <message>
        <source>Card text: %1</source>
        <translation>Texto de la tarjeta: %1</translation>
    </message>
    <message>
        <source>Quick check — practice only, it does not count</source>
        <translation>Comprobación rápida: solo para practicar, no cuenta</translation>
    </message>
    <message>
        <source>Check my answer</source>
        <translation>Comprobar mi respuesta</translation>
    </message>
    <message>
        <source>Knowledge check</source>
        <translation>Prueba de conocimientos</translation>
    </message>
    <message>
        <source>Submit answer</source>
        <translation>Enviar respuesta</translation>
    </message>
</context>
<context>
    <name>PreviewWindow</name>
    <message>
        <source>Preview: %1 — %2</source>
        <translation>Vista previa: %1 — %2</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Advertencias</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vista previa</translation>
    </message>
    <message>
        <source>%1 — nothing you do here is saved or sent. Saving a file in the folder reloads the preview.</source>
        <translation>%1: nada de lo que hagas aquí se guarda ni se envía. Al guardar un archivo de la carpeta, la vista previa se vuelve a cargar.</translation>
    </message>
    <message>
        <source>Preview status</source>
        <translation>Estado de la vista previa</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Volver a cargar</translation>
    </message>
    <message>
        <source>Load the module again from its folder (F5)</source>
        <translation>Volver a cargar el módulo desde su carpeta (F5)</translation>
    </message>
    <message>
        <source>Start over</source>
        <translation>Empezar de nuevo</translation>
    </message>
    <message>
        <source>Start the module again from the first card</source>
        <translation>Empezar el módulo otra vez desde la primera tarjeta</translation>
    </message>
    <message>
        <source>Problems found at %1</source>
        <translation>Problemas encontrados a las %1</translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s): the module works, but learners are better served when they are fixed</source>
        <translation>
            <numerusform>%n advertencia: el módulo funciona, pero conviene corregirla por el bien de quienes aprenden</numerusform>
            <numerusform>%n advertencias: el módulo funciona, pero conviene corregirlas por el bien de quienes aprenden</numerusform>
        </translation>
    </message>
    <message>
        <source>Loaded at %1</source>
        <translation>Cargado a las %1</translation>
    </message>
</context>
<context>
    <name>ProblemsPage</name>
    <message>
        <source>This module cannot be shown yet</source>
        <translation>Este módulo aún no se puede mostrar</translation>
    </message>
    <message>
        <source>Problems in the module</source>
        <translation>Problemas en el módulo</translation>
    </message>
    <message>
        <source>Each line gives the file and the line number, then what is wrong. Fix the errors and save: the preview shows the module again by itself. Warnings alone never stop it.</source>
        <translation>Cada línea indica el archivo y el número de línea, y luego qué está mal. Corrige los errores y guarda: la vista previa volverá a mostrar el módulo sola. Las advertencias por sí solas nunca la detienen.</translation>
    </message>
    <message numerus="yes">
        <source>This module cannot be shown yet: %n error(s)</source>
        <translation>
            <numerusform>Este módulo aún no se puede mostrar: %n error</numerusform>
            <numerusform>Este módulo aún no se puede mostrar: %n errores</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <source>Loading your progress…</source>
        <translation>Cargando tu progreso…</translation>
    </message>
    <message>
        <source>Minutes learned: %1 this week · %2 this month</source>
        <translation>Minutos de aprendizaje: %1 esta semana · %2 este mes</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minuto</numerusform>
            <numerusform>%n minutos</numerusform>
        </translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>Certificados</translation>
    </message>
    <message>
        <source>When you finish every module of a track, its certificate appears here.</source>
        <translation>Cuando termines todos los módulos de un itinerario, su certificado aparecerá aquí.</translation>
    </message>
    <message>
        <source>No learning content is installed yet.</source>
        <translation>Todavía no hay contenido de aprendizaje instalado.</translation>
    </message>
    <message>
        <source>Certificate: %1</source>
        <translation>Certificado: %1</translation>
    </message>
    <message>
        <source>Given on %1</source>
        <translation>Emitido el %1</translation>
    </message>
    <message>
        <source>valid until %1</source>
        <translation>válido hasta el %1</translation>
    </message>
    <message>
        <source>lapsed on %1</source>
        <translation>caducó el %1</translation>
    </message>
    <message>
        <source>verification code %1</source>
        <translation>código de verificación %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Open the certificate: %1</source>
        <translation>Abrir el certificado: %1</translation>
    </message>
    <message>
        <source>Save a copy…</source>
        <translation>Guardar una copia…</translation>
    </message>
    <message>
        <source>Save a copy of the certificate: %1</source>
        <translation>Guardar una copia del certificado: %1</translation>
    </message>
    <message>
        <source>Save the certificate</source>
        <translation>Guardar el certificado</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>Documentos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Optional for you</source>
        <translation>Opcional para ti</translation>
    </message>
    <message>
        <source>Done on %1</source>
        <translation>Terminado el %1</translation>
    </message>
    <message>
        <source>due again from %1</source>
        <translation>vuelve a vencer a partir del %1</translation>
    </message>
    <message>
        <source>No attempts yet.</source>
        <translation>Todavía no hay intentos.</translation>
    </message>
    <message>
        <source>Date not known</source>
        <translation>Fecha desconocida</translation>
    </message>
    <message>
        <source>score %1%</source>
        <translation>puntuación %1%</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>aprobado</translation>
    </message>
    <message>
        <source>not passed</source>
        <translation>no aprobado</translation>
    </message>
    <message>
        <source>not finished</source>
        <translation>sin terminar</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) spent</source>
        <translation>
            <numerusform>%n minuto dedicado</numerusform>
            <numerusform>%n minutos dedicados</numerusform>
        </translation>
    </message>
    <message>
        <source>restored from the central record</source>
        <translation>recuperado del registro central</translation>
    </message>
    <message>
        <source>Missed: %1 — you answered %2; the right answer is %3.</source>
        <translation>Fallada: %1 — respondiste %2; la respuesta correcta es %3.</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>nada</translation>
    </message>
    <message>
        <source>%1 Why: %2</source>
        <translation>%1 Por qué: %2</translation>
    </message>
</context>
<context>
    <name>QuestionWidget</name>
    <message>
        <source>True or false? Press the option&apos;s number to pick it.</source>
        <translation>¿Verdadero o falso? Pulsa el número de una opción para elegirla.</translation>
    </message>
    <message>
        <source>Choose all that apply. Press the option&apos;s number to pick it.</source>
        <translation>Elige todas las que correspondan. Pulsa el número de una opción para elegirla.</translation>
    </message>
    <message>
        <source>Choose one answer. Press the option&apos;s number to pick it.</source>
        <translation>Elige una respuesta. Pulsa el número de una opción para elegirla.</translation>
    </message>
    <message>
        <source>Situation</source>
        <translation>Situación</translation>
    </message>
    <message>
        <source>%1.  %2</source>
        <translation>%1.  %2</translation>
    </message>
    <message>
        <source>Option %1: %2</source>
        <translation>Opción %1: %2</translation>
    </message>
    <message>
        <source>Check answer</source>
        <translation>Comprobar respuesta</translation>
    </message>
    <message>
        <source>Result of your answer</source>
        <translation>Resultado de tu respuesta</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>Explicación</translation>
    </message>
    <message>
        <source>✓ Correct answer.</source>
        <translation>✓ Respuesta correcta.</translation>
    </message>
    <message>
        <source>✗ Not this one.</source>
        <translation>✗ Esta no.</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>✓ That&apos;s right.</source>
        <translation>✓ ¡Correcto!</translation>
    </message>
    <message>
        <source>✗ Not quite.</source>
        <translation>✗ No del todo.</translation>
    </message>
</context>
<context>
    <name>Reminders</name>
    <message numerus="yes">
        <source>%n module(s) overdue</source>
        <translation>
            <numerusform>%n módulo vencido</numerusform>
            <numerusform>%n módulos vencidos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n module(s) due this week</source>
        <translation>
            <numerusform>%n módulo vence esta semana</numerusform>
            <numerusform>%n módulos vencen esta semana</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · next due %2</source>
        <translation>%1 · el próximo vence el %2</translation>
    </message>
    <message>
        <source>Microlearn</source>
        <translation>Microlearn</translation>
    </message>
    <message>
        <source>Learning due</source>
        <translation>Formación pendiente</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>ResultsPage</name>
    <message>
        <source>Your results</source>
        <translation>Tus resultados</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>You passed with %1 of %2 (%3%). Well done!</source>
        <translation>Has aprobado con %1 de %2 (%3 %). ¡Bien hecho!</translation>
    </message>
    <message>
        <source>This module is done. Your result will reach the central record when you are online.</source>
        <translation>Has terminado este módulo. Tu resultado llegará al registro central cuando tengas conexión.</translation>
    </message>
    <message>
        <source>You got %1 of %2 (%3%). Not passed yet.</source>
        <translation>Has acertado %1 de %2 (%3 %). Todavía no has aprobado.</translation>
    </message>
    <message>
        <source>You need %1% to pass. Read the explanations below, then try again: you will get a fresh set of questions.</source>
        <translation>Necesitas un %1 % para aprobar. Lee las explicaciones de abajo y vuelve a intentarlo: tendrás preguntas nuevas.</translation>
    </message>
    <message>
        <source>Your score</source>
        <translation>Tu puntuación</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Intentar de nuevo</translation>
    </message>
    <message>
        <source>Take it again</source>
        <translation>Hacerlo otra vez</translation>
    </message>
    <message>
        <source>Try the module again: %1</source>
        <translation>Volver a hacer el módulo: %1</translation>
    </message>
    <message>
        <source>Back to Today</source>
        <translation>Volver a Hoy</translation>
    </message>
    <message>
        <source>What you missed, and why</source>
        <translation>En qué fallaste y por qué</translation>
    </message>
    <message>
        <source>You answered every question correctly.</source>
        <translation>Respondiste bien todas las preguntas.</translation>
    </message>
    <message>
        <source>Your answer: %1</source>
        <translation>Tu respuesta: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <source>Correct answer: %1</source>
        <translation>Respuesta correcta: %1</translation>
    </message>
    <message>
        <source>Missed question: %1</source>
        <translation>Pregunta fallada: %1</translation>
    </message>
    <message>
        <source>You were sure of this one: it is the one most worth a second look.</source>
        <translation>Estabas seguro de esta: es la que más merece un segundo vistazo.</translation>
    </message>
</context>
<context>
    <name>ReviewCard</name>
    <message numerus="yes">
        <source>%n question(s)</source>
        <translation>
            <numerusform>%n pregunta</numerusform>
            <numerusform>%n preguntas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n minute(s)</source>
        <translation>
            <numerusform>unos %n minuto</numerusform>
            <numerusform>unos %n minutos</numerusform>
        </translation>
    </message>
    <message>
        <source>Quick review</source>
        <translation>Repaso rápido</translation>
    </message>
    <message>
        <source>Questions you met before, back when they are due, so what you learned stays learned.</source>
        <translation>Preguntas que ya viste, de vuelta cuando toca, para que lo aprendido no se olvide.</translation>
    </message>
    <message numerus="yes">
        <source>%n due</source>
        <translation>
            <numerusform>%n pendiente</numerusform>
            <numerusform>%n pendientes</numerusform>
        </translation>
    </message>
    <message>
        <source>Start the review</source>
        <translation>Empezar el repaso</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Quick review</source>
        <translation>Repaso rápido</translation>
    </message>
    <message>
        <source>← Back to Today</source>
        <translation>← Volver a Hoy</translation>
    </message>
    <message>
        <source>Leave the review for Today</source>
        <translation>Dejar el repaso y volver a Hoy</translation>
    </message>
    <message>
        <source>Where you are</source>
        <translation>Dónde estás</translation>
    </message>
    <message>
        <source>Review question</source>
        <translation>Pregunta de repaso</translation>
    </message>
    <message>
        <source>Next question →</source>
        <translation>Siguiente pregunta →</translation>
    </message>
    <message>
        <source>Next question</source>
        <translation>Siguiente pregunta</translation>
    </message>
    <message>
        <source>From “%1”</source>
        <translation>De «%1»</translation>
    </message>
    <message>
        <source>Check my answer</source>
        <translation>Comprobar mi respuesta</translation>
    </message>
    <message>
        <source>Question %1 of %2</source>
        <translation>Pregunta %1 de %2</translation>
    </message>
    <message>
        <source>Finish the review →</source>
        <translation>Terminar el repaso →</translation>
    </message>
    <message>
        <source>Finish the review</source>
        <translation>Terminar el repaso</translation>
    </message>
    <message>
        <source>Review done: %1 of %2 right.</source>
        <translation>Repaso hecho: %1 de %2 bien.</translation>
    </message>
    <message>
        <source>What you missed comes back soon; what you knew comes back later. Your module results are not changed by a review.</source>
        <translation>Lo que fallaste vuelve pronto; lo que sabías vuelve más tarde. Un repaso no cambia los resultados de tus módulos.</translation>
    </message>
    <message>
        <source>Back to Today</source>
        <translation>Volver a Hoy</translation>
    </message>
    <message>
        <source>Read the card again: %1</source>
        <translation>Leer de nuevo la tarjeta: %1</translation>
    </message>
    <message>
        <source>Read the card that teaches it again: %1</source>
        <translation>Leer de nuevo la tarjeta que lo explica: %1</translation>
    </message>
</context>
<context>
    <name>Sections</name>
    <message>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Biblioteca</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Acerca de</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>Secciones</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Follow the system</source>
        <translation>Como el sistema</translation>
    </message>
    <message>
        <source>Normal (10 pt)</source>
        <translation>Normal (10 pt)</translation>
    </message>
    <message>
        <source>Large (12 pt)</source>
        <translation>Grande (12 pt)</translation>
    </message>
    <message>
        <source>Larger (14 pt)</source>
        <translation>Más grande (14 pt)</translation>
    </message>
    <message>
        <source>Very large (16 pt)</source>
        <translation>Muy grande (16 pt)</translation>
    </message>
    <message>
        <source>Extra large (20 pt)</source>
        <translation>Enorme (20 pt)</translation>
    </message>
    <message>
        <source>Largest (24 pt)</source>
        <translation>Máximo (24 pt)</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Alto contraste</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>Pantalla</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>Tamaño del texto</translation>
    </message>
    <message>
        <source>Colour scheme</source>
        <translation>Colores</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>A new language shows the next time you open Microlearn.</source>
        <translation>El nuevo idioma se verá la próxima vez que abras Microlearn.</translation>
    </message>
    <message>
        <source>Set by your organisation</source>
        <translation>Lo fija tu organización</translation>
    </message>
    <message>
        <source>Your learning record</source>
        <translation>Tu registro de aprendizaje</translation>
    </message>
    <message>
        <source>Recorded as</source>
        <translation>Registrado como</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>Organización</translation>
    </message>
    <message>
        <source>%1  (set by your organisation)</source>
        <translation>%1  (lo fija tu organización)</translation>
    </message>
    <message>
        <source>Central record</source>
        <translation>Registro central</translation>
    </message>
    <message>
        <source>Central record address</source>
        <translation>Dirección del registro central</translation>
    </message>
    <message>
        <source>Who sets the address</source>
        <translation>Quién fija la dirección</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <source>Sync status</source>
        <translation>Estado de la sincronización</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Última sincronización</translation>
    </message>
    <message>
        <source>See sync details</source>
        <translation>Ver detalles de la sincronización</translation>
    </message>
    <message>
        <source>Every result kept for the central record, and where it stands</source>
        <translation>Cada resultado guardado para el registro central y en qué punto está</translation>
    </message>
    <message>
        <source>Set up by IT — ask them if it needs to change</source>
        <translation>Lo configura TI: pídeles el cambio si hace falta</translation>
    </message>
    <message>
        <source>Sync is off until IT fixes the settings; your results are kept here</source>
        <translation>La sincronización está parada hasta que TI corrija la configuración; tus resultados se guardan aquí</translation>
    </message>
    <message>
        <source>None: no central record is set up</source>
        <translation>Ninguna: no hay un registro central configurado</translation>
    </message>
    <message>
        <source>Not set up yet — your results are kept on this computer</source>
        <translation>Sin configurar todavía: tus resultados se guardan en este equipo</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
    <message>
        <source>Sync status</source>
        <translation>Estado de la sincronización</translation>
    </message>
    <message>
        <source>Sync details</source>
        <translation>Detalles de la sincronización</translation>
    </message>
    <message>
        <source>See sync details</source>
        <translation>Ver detalles de la sincronización</translation>
    </message>
    <message>
        <source>Every result kept for the central record, and where it stands</source>
        <translation>Cada resultado guardado para el registro central y en qué punto está</translation>
    </message>
</context>
<context>
    <name>SurveyFlow</name>
    <message>
        <source>You finished “%1”</source>
        <translation>Has terminado «%1»</translation>
    </message>
    <message>
        <source>1 minute</source>
        <translation>1 minuto</translation>
    </message>
    <message>
        <source>How sure do you feel now? Rate a few statements, or skip it.</source>
        <translation>¿Qué seguridad sientes ahora? Valora unas frases, o sáltalo.</translation>
    </message>
    <message>
        <source>Rate how sure I feel</source>
        <translation>Valorar mi seguridad</translation>
    </message>
</context>
<context>
    <name>SurveyPage</name>
    <message>
        <source>Before you start: how sure do you feel?</source>
        <translation>Antes de empezar: ¿qué seguridad sientes?</translation>
    </message>
    <message>
        <source>You finished the track: how sure do you feel now?</source>
        <translation>Has terminado el itinerario: ¿qué seguridad sientes ahora?</translation>
    </message>
    <message>
        <source>Confidence survey</source>
        <translation>Encuesta de confianza</translation>
    </message>
    <message>
        <source>Strongly disagree</source>
        <translation>Muy en desacuerdo</translation>
    </message>
    <message>
        <source>Disagree</source>
        <translation>En desacuerdo</translation>
    </message>
    <message>
        <source>Neither agree nor disagree</source>
        <translation>Ni de acuerdo ni en desacuerdo</translation>
    </message>
    <message>
        <source>Agree</source>
        <translation>De acuerdo</translation>
    </message>
    <message>
        <source>Strongly agree</source>
        <translation>Muy de acuerdo</translation>
    </message>
    <message>
        <source>Rate each statement from 1 (%1) to 5 (%2) with a number key. It takes a minute, it is not a test, and you can skip it.</source>
        <translation>Valora cada frase de 1 (%1) a 5 (%2) con una tecla numérica. Lleva un minuto, no es un examen y puedes saltarla.</translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 of 5: %2</source>
        <translation>%1 de 5: %2</translation>
    </message>
    <message>
        <source>Statement %1</source>
        <translation>Frase %1</translation>
    </message>
    <message>
        <source>Send my answers</source>
        <translation>Enviar mis respuestas</translation>
    </message>
    <message>
        <source>Skip the survey</source>
        <translation>Saltar la encuesta</translation>
    </message>
</context>
<context>
    <name>SyncDetailsPage</name>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>All records</source>
        <translation>Todos los registros</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>Pendientes de enviar</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Enviados</translation>
    </message>
    <message>
        <source>Refused or in conflict</source>
        <translation>Rechazados o en conflicto</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Empezó</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Respondió</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Terminó</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>Aprobó</translation>
    </message>
    <message>
        <source>Not passed</source>
        <translation>No aprobó</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>Salió</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Sync details</source>
        <translation>Detalles de la sincronización</translation>
    </message>
    <message>
        <source>Sync status</source>
        <translation>Estado de la sincronización</translation>
    </message>
    <message>
        <source>Each answer, completion and score is a record for your organisation&apos;s central record. Refused records and conflicts are kept on this computer and not sent again; if any are listed, tell IT.</source>
        <translation>Cada respuesta, módulo terminado y puntuación es un registro para el registro central de tu organización. Los registros rechazados y en conflicto se guardan en este equipo y no se vuelven a enviar; si ves alguno en la lista, avisa a TI.</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Mostrar</translation>
    </message>
    <message>
        <source>Show records</source>
        <translation>Mostrar registros</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <source>Send waiting results to the central record (%1)</source>
        <translation>Enviar los resultados pendientes al registro central (%1)</translation>
    </message>
    <message>
        <source>Sync records</source>
        <translation>Registros de sincronización</translation>
    </message>
    <message>
        <source>One row per record: when, what, state, and the reason</source>
        <translation>Una fila por registro: cuándo, qué, estado y motivo</translation>
    </message>
    <message>
        <source>Newer</source>
        <translation>Más recientes</translation>
    </message>
    <message>
        <source>Newer records</source>
        <translation>Registros más recientes</translation>
    </message>
    <message>
        <source>The page of newer records (Ctrl+Page Up)</source>
        <translation>La página de registros más recientes (Ctrl+Re Pág)</translation>
    </message>
    <message>
        <source>Records shown</source>
        <translation>Registros mostrados</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Más antiguos</translation>
    </message>
    <message>
        <source>Older records</source>
        <translation>Registros más antiguos</translation>
    </message>
    <message>
        <source>The page of older records (Ctrl+Page Down)</source>
        <translation>La página de registros más antiguos (Ctrl+Av Pág)</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Back (Esc)</source>
        <translation>Atrás (Esc)</translation>
    </message>
    <message>
        <source>Record %1 of %2</source>
        <translation>Registro %1 de %2</translation>
    </message>
    <message>
        <source>Records %1–%2 of %3</source>
        <translation>Registros %1–%2 de %3</translation>
    </message>
    <message>
        <source>No records to show</source>
        <translation>No hay registros que mostrar</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Good morning</source>
        <translation>Buenos días</translation>
    </message>
    <message>
        <source>Good afternoon</source>
        <translation>Buenas tardes</translation>
    </message>
    <message>
        <source>Good evening</source>
        <translation>Buenas noches</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <source>Loading your learning…</source>
        <translation>Cargando tu aprendizaje…</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Aviso</translation>
    </message>
    <message>
        <source>You have finished all your required modules. Well done!</source>
        <translation>Has terminado todos tus módulos obligatorios. ¡Bien hecho!</translation>
    </message>
    <message numerus="yes">
        <source>%n required module(s) left of %1.</source>
        <translation>
            <numerusform>Te queda %n módulo obligatorio de %1.</numerusform>
            <numerusform>Te quedan %n módulos obligatorios de %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Continue where you stopped</source>
        <translation>Sigue donde lo dejaste</translation>
    </message>
    <message>
        <source>Also in progress</source>
        <translation>También en curso</translation>
    </message>
    <message>
        <source>Up next</source>
        <translation>A continuación</translation>
    </message>
    <message>
        <source>Nothing is waiting for you. You can review any module in the Library.</source>
        <translation>No tienes nada pendiente. Puedes repasar cualquier módulo en la Biblioteca.</translation>
    </message>
    <message>
        <source>Browse the library</source>
        <translation>Ver la biblioteca</translation>
    </message>
    <message>
        <source>Sync status</source>
        <translation>Estado de la sincronización</translation>
    </message>
    <message>
        <source>Central record</source>
        <translation>Registro central</translation>
    </message>
    <message>
        <source>Your results and the central record</source>
        <translation>Tus resultados y el registro central</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <source>Send waiting results to the central record (%1)</source>
        <translation>Enviar los resultados pendientes al registro central (%1)</translation>
    </message>
    <message>
        <source>See details</source>
        <translation>Ver detalles</translation>
    </message>
    <message>
        <source>See sync details</source>
        <translation>Ver detalles de la sincronización</translation>
    </message>
    <message>
        <source>Every result kept for the central record, and where it stands</source>
        <translation>Cada resultado guardado para el registro central y en qué punto está</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minuto</numerusform>
            <numerusform>%n minutos</numerusform>
        </translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Obligatorio</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Sorry, something went wrong. Your answers so far are saved. If it keeps happening, please tell IT.</source>
        <translation>Lo sentimos, algo salió mal. Tus respuestas hasta ahora están guardadas. Si vuelve a pasar, avisa a TI.</translation>
    </message>
</context>
<context>
    <name>preview</name>
    <message>
        <source>%1 preview</source>
        <translation>Vista previa de %1</translation>
    </message>
</context>
<context>
    <name>status_text</name>
    <message>
        <source>In progress</source>
        <translation>En curso</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminado</translation>
    </message>
    <message>
        <source>Not passed yet</source>
        <translation>Aún sin aprobar</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Sin empezar</translation>
    </message>
    <message>
        <source>Microlearn is busy: another program is using your learning data right now. Nothing has been lost. Please try again in a minute.</source>
        <translation>Microlearn está ocupado: otro programa está usando tus datos de aprendizaje en este momento. No se ha perdido nada. Vuelve a intentarlo en un minuto.</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) waiting to sync</source>
        <translation>
            <numerusform>%n resultado pendiente de sincronizar</numerusform>
            <numerusform>%n resultados pendientes de sincronizar</numerusform>
        </translation>
    </message>
    <message>
        <source>The central record refused the credentials — contact IT</source>
        <translation>El registro central rechazó las credenciales: avisa a TI</translation>
    </message>
    <message>
        <source>All results are synced</source>
        <translation>Todos los resultados están sincronizados</translation>
    </message>
    <message>
        <source>No results to sync yet</source>
        <translation>Todavía no hay resultados que sincronizar</translation>
    </message>
    <message>
        <source>Another sync is already running — try again in a moment</source>
        <translation>Ya hay otra sincronización en marcha: vuelve a intentarlo en un momento</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Sincronizando…</translation>
    </message>
    <message>
        <source>Restoring your progress from the central record…</source>
        <translation>Recuperando tu avance desde el registro central…</translation>
    </message>
    <message>
        <source>No central record is set up, so your results are kept on this computer. IT can connect one.</source>
        <translation>No hay un registro central configurado, así que tus resultados se guardan en este equipo. TI puede conectar uno.</translation>
    </message>
    <message>
        <source>A sync is already running.</source>
        <translation>Ya hay una sincronización en marcha.</translation>
    </message>
    <message>
        <source>The sync stopped unexpectedly. Your results are kept on this computer and will be sent later.</source>
        <translation>La sincronización se detuvo de forma inesperada. Tus resultados se guardan en este equipo y se enviarán más tarde.</translation>
    </message>
    <message>
        <source> — see details</source>
        <translation> — consulta los detalles</translation>
    </message>
    <message>
        <source>Syncing… %1 of %2 sent</source>
        <translation>Sincronizando… %1 de %2 enviados</translation>
    </message>
    <message>
        <source>Syncing… %1 sent</source>
        <translation>Sincronizando… %1 enviados</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) (was|were) refused by the central record</source>
        <translation>
            <numerusform>El registro central rechazó %n resultado</numerusform>
            <numerusform>El registro central rechazó %n resultados</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) waiting</source>
        <translation>
            <numerusform>%n resultado pendiente</numerusform>
            <numerusform>%n resultados pendientes</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline — %1</source>
        <translation>Sin conexión — %1</translation>
    </message>
    <message>
        <source>The central record is not answering — %1</source>
        <translation>El registro central no responde — %1</translation>
    </message>
    <message>
        <source>The central record is busy — %1</source>
        <translation>El registro central está ocupado — %1</translation>
    </message>
    <message>
        <source>The central record is not working right now — %1</source>
        <translation>El registro central no funciona en este momento — %1</translation>
    </message>
    <message>
        <source>The network showed a sign-in page instead of the central record — sign in to the network (e.g. in your browser) — %1</source>
        <translation>La red mostró una página de inicio de sesión en lugar del registro central: inicia sesión en la red (por ejemplo, en tu navegador) — %1</translation>
    </message>
    <message>
        <source>Checking with the central record — %1</source>
        <translation>Comprobando con el registro central — %1</translation>
    </message>
    <message>
        <source>Sync stopped — %1</source>
        <translation>Sincronización detenida — %1</translation>
    </message>
    <message numerus="yes">
        <source>Not connected to a central record — %n result(s) kept on this computer</source>
        <translation>
            <numerusform>Sin conexión a un registro central: %n resultado guardado en este equipo</numerusform>
            <numerusform>Sin conexión a un registro central: %n resultados guardados en este equipo</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Synced %n result(s)</source>
        <translation>
            <numerusform>%n resultado sincronizado</numerusform>
            <numerusform>%n resultados sincronizados</numerusform>
        </translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <source>Offline — your progress could not be restored yet</source>
        <translation>Sin conexión: todavía no se pudo recuperar tu avance</translation>
    </message>
    <message>
        <source>Not connected to a central record — there is nothing to restore from</source>
        <translation>Sin conexión a un registro central: no hay de dónde recuperar nada</translation>
    </message>
    <message>
        <source>A sync is running — try again in a moment</source>
        <translation>Hay una sincronización en marcha: vuelve a intentarlo en un momento</translation>
    </message>
    <message>
        <source>The central record is not working right now — your progress could not be restored yet</source>
        <translation>El registro central no funciona en este momento: todavía no se pudo recuperar tu avance</translation>
    </message>
    <message numerus="yes">
        <source> (%n record(s) could not be read and (was|were) skipped)</source>
        <translation>
            <numerusform> (%n registro no se pudo leer y se omitió)</numerusform>
            <numerusform> (%n registros no se pudieron leer y se omitieron)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restored %n result(s) from the central record</source>
        <translation>
            <numerusform>Se recuperó %n resultado del registro central</numerusform>
            <numerusform>Se recuperaron %n resultados del registro central</numerusform>
        </translation>
    </message>
    <message>
        <source>Your progress is already up to date with the central record</source>
        <translation>Tu avance ya está al día con el registro central</translation>
    </message>
    <message>
        <source>The central record has no results of yours to restore</source>
        <translation>El registro central no tiene resultados tuyos que recuperar</translation>
    </message>
    <message>
        <source>Synced %1</source>
        <comment>how long ago: Synced 3 minutes ago</comment>
        <translation>Sincronizado %1</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Intentar de nuevo</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Repasar</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Empezar</translation>
    </message>
    <message>
        <source>You stopped in the knowledge check.</source>
        <translation>Lo dejaste en la prueba de conocimientos.</translation>
    </message>
    <message>
        <source>You stopped at card %1 of %2.</source>
        <translation>Lo dejaste en la tarjeta %1 de %2.</translation>
    </message>
    <message>
        <source>No sync yet</source>
        <translation>Aún no se ha sincronizado</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Pendiente</translation>
    </message>
    <message>
        <source>Being checked</source>
        <translation>En comprobación</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Enviados</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Conflicto</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Rechazado</translation>
    </message>
    <message>
        <source>no reason was given</source>
        <translation>no se dio ningún motivo</translation>
    </message>
    <message>
        <source>The central record already holds a different record with this id (%1); it is kept here and not sent again.</source>
        <translation>El registro central ya tiene otro registro distinto con este identificador (%1); se guarda aquí y no se vuelve a enviar.</translation>
    </message>
    <message>
        <source>No reason was given.</source>
        <translation>No se dio ningún motivo.</translation>
    </message>
    <message>
        <source>The central record may already have it; it is checked before anything is sent again.</source>
        <translation>Puede que el registro central ya lo tenga; se comprueba antes de volver a enviar nada.</translation>
    </message>
    <message>
        <source>%1 Last try: %2</source>
        <translation>%1 Último intento: %2</translation>
    </message>
    <message>
        <source>Reached the central record %1</source>
        <translation>Llegó al registro central el %1</translation>
    </message>
    <message>
        <source>Not sent yet. Last try: %1</source>
        <translation>Aún sin enviar. Último intento: %1</translation>
    </message>
    <message>
        <source>Will be sent at the next sync</source>
        <translation>Se enviará en la próxima sincronización</translation>
    </message>
    <message>
        <source>Just now</source>
        <translation>Hace un momento</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>Hace %n minuto</numerusform>
            <numerusform>Hace %n minutos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>Hace %n hora</numerusform>
            <numerusform>Hace %n horas</numerusform>
        </translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Ayer</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>Hace %n día</numerusform>
            <numerusform>Hace %n días</numerusform>
        </translation>
    </message>
    <message>
        <source>You can keep learning while this runs.</source>
        <translation>Puedes seguir aprendiendo mientras tanto.</translation>
    </message>
    <message>
        <source>They are safe on this computer and are sent by themselves once the central record can be reached.</source>
        <translation>Están a salvo en este equipo y se enviarán solos en cuanto se pueda llegar al registro central.</translation>
    </message>
    <message>
        <source>Everything else has arrived. The details show which result and why; IT can help.</source>
        <translation>Todo lo demás ha llegado. En los detalles verás qué resultado y por qué; TI te puede ayudar.</translation>
    </message>
</context>
</TS>
