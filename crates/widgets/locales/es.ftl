# kapforms interface messages: Spanish (español).
#
# Our own translation of en.ftl, in plain, calm Spanish that addresses the patient as
# "usted" (as the official Spanish PHQ-9 and GAD-7 do). Same ids and placeholders as en.ftl.

## The patient's form

form-submit = Enviar mis respuestas
form-total-before = Total hasta ahora:
form-total-of = de
form-error-summary-title = Faltan algunas respuestas
form-error-answer-prefix = Por favor, responda:
form-error-required = Por favor, elija una respuesta a esta pregunta.
form-yes = Sí
form-no = No
form-submitted-title = Gracias. Sus respuestas se han enviado.
form-submitted-body = El equipo de su clínica las leerá y las revisará con usted.
form-optional = (opcional)
form-next = Continuar
form-back = Atrás
form-start = Empezar
form-step = Paso { $n } de { $m }
form-start-who = Sus respuestas van al equipo de su clínica, que las leerá antes de su cita y
    las hablará con usted.
form-start-time = Se tarda unos { $n } minutos. Puede volver atrás y cambiar cualquier
    respuesta antes de enviarla.
form-start-time-one = Se tarda alrededor de un minuto. Puede volver atrás y cambiar cualquier
    respuesta antes de enviarla.
form-start-urgent = Nadie vigila este formulario mientras usted lo llena. Si necesita ayuda
    urgente, llame al 911, o llame o envíe un mensaje de texto al 988 a cualquier hora.
form-start-privacy = Sus respuestas se quedan en este navegador hasta que las envíe.
form-review-title = Revise sus respuestas
form-review-intro = Lea sus respuestas. Puede cambiar cualquiera de ellas antes de enviarlas.
form-change = Cambiar
form-not-answered = Sin responder
form-copy-title = Sus respuestas
form-print = Imprimir o guardar una copia
form-row = { $item }: entrada { $n }
form-add-row = Añadir otra
form-remove-row = Quitar
form-choose = Elija…
form-error-rows = Por favor, complete los datos obligatorios de cada entrada, o quítela.
form-draft-restored = Bienvenido(a) de nuevo. Aquí están las respuestas que dio antes en este
    dispositivo, y está en la página donde lo dejó.
form-draft-unavailable = Este dispositivo no puede guardar su progreso, así que sus respuestas
    no se guardarán si cierra o vuelve a cargar esta página. Aun así puede llenar y enviar el
    formulario como siempre.
form-draft-cleared = Sus respuestas se han borrado de este formulario y de este dispositivo.
form-draft-kept = Sus respuestas se guardan cifradas en este dispositivo hasta que las envíe o
    las borre.
form-clear-answers = Borrar mis respuestas
form-clear-confirm-title = ¿Borrar todas sus respuestas?
form-clear-confirm-body = Esto vacía el formulario y elimina las respuestas guardadas en este
    dispositivo. No se puede deshacer.
form-clear-confirm-yes = Sí, borrar mis respuestas
form-clear-confirm-no = No, conservar mis respuestas
form-english-only = Este cuestionario solo está disponible en inglés.
form-crisis-title = No tiene que esperar para recibir ayuda
form-crisis-told = Usted nos dijo que ha tenido pensamientos de que estaría mejor muerto(a) o
    de hacerse daño. Gracias por decírnoslo. Su clínica verá esta respuesta, pero nadie revisa
    este formulario en tiempo real: nadie lo está leyendo mientras usted lo llena.
form-crisis-emergency = Si cree que podría actuar según estos pensamientos o no se siente
    seguro(a) en este momento, llame al 911 o vaya a la sala de emergencias más cercana.
form-crisis-lifeline = Puede llamar o enviar un mensaje de texto al 988, o chatear en
    988lifeline.org, a cualquier hora, para hablar con alguien de la Línea 988 de Prevención del
    Suicidio y Crisis (988 Suicide & Crisis Lifeline), que atiende en español. También puede
    llamar a su clínica o a su terapeuta.

## The clinician's results view

results-title = Resultados de los cuestionarios
results-patient-name = Paciente
results-date-of-birth = Fecha de nacimiento
results-patient-id = ID del paciente
results-prepared = Preparado
results-responses-heading = Respuestas y versiones de los instrumentos
results-empty = Todavía no hay respuestas. Abra archivos de respuestas (.json) o suéltelos
    aquí: se leen en este navegador y nunca se suben.
results-attention-heading = Compruebe esto antes de usar estos resultados
results-banner-more = Los detalles están después de las alertas. Las puntuaciones y alertas de
    esta página se recalculan a partir de las respuestas.
results-mismatch-title = Las puntuaciones no coinciden con las respuestas
results-mismatch-body = Las puntuaciones, rangos o alertas guardados con esta respuesta no
    coinciden con lo que dan sus respuestas. Esta página muestra los valores recalculados a
    partir de las respuestas.
results-different-title = Otra versión de la definición
results-different-body = Esta respuesta se hizo con otro contenido de “{ $id }” ({ $stored });
    se recalculó con la versión { $used }, así que los valores recalculados pueden diferir por
    ese motivo.
results-unknown-title = Definición desconocida
results-unknown-body = Esta respuesta es de “{ $id }” versión { $version }, una definición que
    aquí no se conoce. Sus puntuaciones y alertas se muestran tal como se guardaron y no se
    pudieron comprobar.
results-unreadable-title = No se pudo leer
results-verified = Coincide con sus respuestas
results-fhir-note = Leída de un QuestionnaireResponse de FHIR: se comprobó su versión (FHIR no
    lleva hash del contenido) y se recalcularon sus alertas.
results-urgent-heading = Alertas de seguridad y de exclusión
results-review-heading = Autorización médica y seguimiento
results-info-heading = Para información
results-none-raised = Ninguna.
results-raised-by = Respuestas que la activaron
results-scores-tested = Puntuaciones evaluadas
results-found = Encontrado
results-not-available = no disponible: no se preguntó, porque la clínica no ha proporcionado el texto con licencia
results-rule-source = Fuente de la regla
results-as-stored = Tal como se guardó; sin comprobar
results-scores-heading = Puntuaciones de las escalas
results-col-score = Puntuación
results-col-value = Valor
results-col-range = Intervalo
results-col-band = Rango
results-col-bands = Rangos
results-col-check = Comprobación
results-col-instrument = Instrumento y versión
results-col-status = Estado
results-col-source = Origen
results-col-date = Fecha
results-col-note = Nota
results-stored-as = guardado como { $stored }
results-incomplete = incompleta: { $answered } de { $counted } respondidas
results-prorated = prorrateada por respuestas que faltan
results-no-band = —
results-trends-heading = Evolución
results-trend-desc = { $label } del { $from } al { $to }: { $values }.
results-trend-table = { $label } por fecha
results-readiness-heading = Motivación y preparación
results-gaps = Aspectos pendientes
results-no-gaps = Ningún aspecto pendiente.
results-answers-heading = Todas las respuestas
results-not-answered = Sin responder
results-declined = Prefiere no decirlo
results-of = de
results-completed = Completada
results-in-progress = En curso, sin enviar
results-version = versión { $version }
results-severity-safety = Seguridad
results-severity-exclude = Excluir hasta revisión clínica
results-severity-clearance = Requiere autorización médica
results-severity-monitor = Seguimiento
results-severity-info = Información

## The elements themselves (kapforms.js and the embed crate)

page-load-failed = No se pudo cargar este cuestionario. Por favor, vuelva a cargar la página o
    comuníquese con su clínica.
page-results-load-failed = No se pudieron cargar los resultados. Por favor, vuelva a cargar la
    página.
page-crash-title = Algo salió mal con este formulario
page-crash-body = Sus respuestas hasta ahora están a salvo en este navegador. Descárguelas y
    envíe el archivo a su clínica, o vuelva a cargar la página para empezar de nuevo.
page-crash-download = Descargar mis respuestas
page-open-files = Abrir archivos de respuestas (.json)
page-drop-hint = o suéltelos aquí. Los archivos se leen en este navegador y nunca se suben.
page-print = Imprimir o guardar como PDF
page-definition-errors-named = No se pudo mostrar el cuestionario “{ $instrument }”: su
    definición tiene errores.
page-unknown-instrument = No hay ningún cuestionario llamado “{ $instrument }”.
page-available = Cuestionarios disponibles: { $list }.
page-definition-errors = No se pudo mostrar este cuestionario: su definición tiene errores.
page-invalid-options = No se pudo mostrar este cuestionario: la página le dio opciones no
    válidas.
page-invalid-text-pack = No se pudo mostrar este cuestionario: el texto de la clínica no
    corresponde a él.
page-licensed-missing = El texto de “{ $title }” tiene licencia, y esta clínica todavía no lo
    ha proporcionado.
page-licensed-missing-detail = La clínica debe proporcionar su texto con licencia (un paquete
    de textos) para: { $list }.
page-results-options = Parte de lo que la página dio a la vista de resultados no se pudo usar.
page-results-unreadable = Algunas respuestas no se pudieron leer; se muestran las demás.
