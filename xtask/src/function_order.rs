//! Orders a WebAssembly module's functions so that gzip finds more repeats: the function
//! bodies are sorted by their bytes, which puts the many near-copies a Rust build makes (one
//! instantiation of a generic per type, drop glue, small closures) next to one another, inside
//! gzip's 32 KiB window. The module's behaviour is unchanged: only the order of its function
//! and code sections changes, and every reference to a function (calls, `ref.func`, the
//! function table's elements, exports, the start function, names) is renumbered to match.
//! About 3 KiB gzip off the patient's module; the raw size does not change.

use std::convert::Infallible;

use wasm_encoder::reencode::{self, Reencode};
use wasmparser::{Parser, Payload};

use crate::Result;

/// The renumbering of a module's functions: imported functions keep their indices, defined
/// ones move to their place in the new order.
struct Renumbering {
    /// How many functions the module imports (they come first and do not move).
    imported: u32,
    /// For each defined function, by its old position among them, its new position.
    new_position: Vec<u32>,
    /// For each new position, the old position of the defined function placed there.
    order: Vec<u32>,
}

impl Reencode for Renumbering {
    type Error = Infallible;

    fn function_index(&mut self, func: u32) -> core::result::Result<u32, reencode::Error> {
        Ok(match func.checked_sub(self.imported) {
            Some(defined) => match self.new_position.get(defined as usize) {
                Some(&position) => self.imported + position,
                None => func,
            },
            None => func,
        })
    }

    fn parse_function_section(
        &mut self,
        functions: &mut wasm_encoder::FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> core::result::Result<(), reencode::Error> {
        let types: Vec<u32> = section
            .into_iter()
            .collect::<core::result::Result<_, _>>()?;
        for ty in in_new_order(&self.order, types)? {
            functions.function(self.type_index(ty)?);
        }
        Ok(())
    }

    fn parse_code_section(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> core::result::Result<(), reencode::Error> {
        let bodies: Vec<wasmparser::FunctionBody<'_>> = section
            .into_iter()
            .collect::<core::result::Result<_, _>>()?;
        for body in in_new_order(&self.order, bodies)? {
            self.parse_function_body(code, body)?;
        }
        Ok(())
    }
}

/// The defined functions' entries of a section (their types, their bodies), from their old
/// order into the new one (`order` gives each new position's old one).
fn in_new_order<T: Clone>(
    order: &[u32],
    entries: Vec<T>,
) -> core::result::Result<Vec<T>, reencode::Error> {
    order
        .iter()
        .map(|&old| {
            entries
                .get(old as usize)
                .cloned()
                .ok_or(reencode::Error::InvalidCodeSectionSize)
        })
        .collect()
}

/// The module `wasm` with its defined functions sorted by their bodies' bytes.
pub fn sorted_by_body(wasm: &[u8]) -> Result<Vec<u8>> {
    let mut imported = 0u32;
    let mut bodies: Vec<&[u8]> = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| format!("cannot read the module: {e}"))? {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    let import = import.map_err(|e| format!("cannot read an import: {e}"))?;
                    if matches!(import.ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(&wasm[body.range()]),
            _ => {}
        }
    }
    let mut order: Vec<u32> = (0..bodies.len() as u32).collect();
    // A stable sort: equal bodies keep their order, so the result is deterministic.
    order.sort_by_key(|&old| bodies[old as usize]);
    let mut new_position = vec![0u32; bodies.len()];
    for (position, &old) in order.iter().enumerate() {
        new_position[old as usize] = position as u32;
    }
    let mut renumbering = Renumbering {
        imported,
        new_position,
        order,
    };
    let mut module = wasm_encoder::Module::new();
    renumbering
        .parse_core_module(&mut module, Parser::new(0), wasm)
        .map_err(|e| format!("cannot rewrite the module: {e:?}"))?;
    Ok(module.finish())
}

#[cfg(test)]
mod tests {
    use wasm_encoder::{
        CodeSection, ConstExpr, ElementSection, Elements, EntityType, ExportKind, ExportSection,
        Function, FunctionSection, ImportSection, Instruction, Module, RefType, TableSection,
        TableType, TypeSection, ValType,
    };
    use wasmparser::{Operator, Parser, Payload};

    /// A module importing one function (index 0) and defining three, out of byte order:
    /// `two` (1: `i32.const 2`), `three` (2: `nop`, `i32.const 3`) and `one` (3: a call of
    /// `two`); it exports `one` and puts `three` in its function table. By their bodies'
    /// bytes (after the empty locals, `nop` is 0x01, `call` 0x10, `i32.const` 0x41) the order
    /// is `three`, `one`, `two`: every defined function moves.
    fn module() -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([], [ValType::I32]);
        let mut imports = ImportSection::new();
        imports.import("env", "host", EntityType::Function(0));
        let mut functions = FunctionSection::new();
        let mut code = CodeSection::new();
        let bodies: [&[Instruction]; 3] = [
            &[Instruction::I32Const(2)],
            &[Instruction::Nop, Instruction::I32Const(3)],
            &[Instruction::Call(1)],
        ];
        for body in bodies {
            functions.function(0);
            let mut function = Function::new([]);
            for instruction in body {
                function.instruction(instruction);
            }
            function.instruction(&Instruction::End);
            code.function(&function);
        }
        let mut tables = TableSection::new();
        tables.table(TableType {
            element_type: RefType::FUNCREF,
            minimum: 1,
            maximum: None,
            table64: false,
            shared: false,
        });
        let mut exports = ExportSection::new();
        exports.export("one", ExportKind::Func, 3);
        let mut elements = ElementSection::new();
        elements.active(
            Some(0),
            &ConstExpr::i32_const(0),
            Elements::Functions(std::borrow::Cow::Borrowed(&[2])),
        );
        let mut module = Module::new();
        module
            .section(&types)
            .section(&imports)
            .section(&functions)
            .section(&tables)
            .section(&exports)
            .section(&elements)
            .section(&code);
        module.finish()
    }

    /// What a module says: each defined function's first operator (in index order), the
    /// exported function's index, the function table's entries.
    fn read(wasm: &[u8]) -> (Vec<String>, u32, Vec<u32>) {
        let (mut firsts, mut exported, mut table) = (Vec::new(), 0, Vec::new());
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.expect("a module") {
                Payload::CodeSectionEntry(body) => {
                    let mut operators = body.get_operators_reader().expect("operators");
                    let first: Operator = operators.read().expect("an operator");
                    firsts.push(format!("{first:?}"));
                }
                Payload::ExportSection(section) => {
                    let export = section.into_iter().next().expect("an export");
                    exported = export.expect("an export").index;
                }
                Payload::ElementSection(section) => {
                    for element in section {
                        if let wasmparser::ElementItems::Functions(functions) =
                            element.expect("an element segment").items
                        {
                            table.extend(functions.into_iter().map(|f| f.expect("an index")));
                        }
                    }
                }
                _ => {}
            }
        }
        (firsts, exported, table)
    }

    #[test]
    fn functions_are_sorted_by_body_and_every_reference_follows_them() {
        let original = module();
        wasmparser::validate(&original).expect("the original is valid");
        let (firsts, exported, table) = read(&original);
        assert_eq!(
            firsts,
            ["I32Const { value: 2 }", "Nop", "Call { function_index: 1 }"]
        );
        assert_eq!((exported, table), (3, vec![2]));

        let sorted = super::sorted_by_body(&original).expect("rewritten");
        wasmparser::validate(&sorted).expect("the rewritten module is valid");
        let (firsts, exported, table) = read(&sorted);
        // `three` (1), `one` (2), which now calls `two` at 3, `two` (3).
        assert_eq!(
            firsts,
            ["Nop", "Call { function_index: 3 }", "I32Const { value: 2 }"]
        );
        assert_eq!(exported, 2, "the export follows `one`");
        assert_eq!(table, [1], "the table follows `three`");
        assert_eq!(sorted.len(), original.len(), "only the order changed");
    }
}
