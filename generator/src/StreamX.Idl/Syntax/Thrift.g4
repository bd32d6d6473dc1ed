// Apache Thrift IDL as the `thrift` 0.17+ compiler and thriftgo accept it, plus the legacy forms
// real IDL still uses (senum, slist, php_namespace, xsd_namespace, smalltalk.*).
// The grammar is deliberately permissive where a semantic check gives a better message than a
// syntax error (keywords as identifiers, annotations on any type, headers after definitions).
grammar Thrift;

document
    : (header | definition)* EOF
    ;

header
    : includeDecl
    | cppInclude
    | namespaceDecl
    ;

includeDecl
    : INCLUDE LITERAL listSeparator?
    ;

cppInclude
    : CPP_INCLUDE LITERAL listSeparator?
    ;

namespaceDecl
    : NAMESPACE namespaceScope namespaceName annotations? listSeparator?   # standardNamespace
    | LEGACY_NAMESPACE namespaceName listSeparator?                       # legacyNamespace
    | XSD_NAMESPACE LITERAL listSeparator?                                # xsdNamespace
    | SMALLTALK_CATEGORY stIdentifier listSeparator?                      # smalltalkCategory
    | SMALLTALK_PREFIX identifier listSeparator?                          # smalltalkPrefix
    ;

namespaceScope
    : STAR
    | identifier
    ;

namespaceName
    : identifier
    | LITERAL
    ;

// Apache Thrift lexes this as one token (`Thrift-Tests`); here two names must be joined by '-',
// so the statement cannot swallow the headers and definitions that follow it.
stIdentifier
    : MINUS* identifier (MINUS+ identifier)* MINUS*
    ;

definition
    : constDef
    | typedefDef
    | enumDef
    | senumDef
    | structDef
    | unionDef
    | exceptionDef
    | serviceDef
    ;

constDef
    : CONST fieldType identifier EQ constValue annotations? listSeparator?
    ;

typedefDef
    : TYPEDEF fieldType identifier annotations? listSeparator?
    ;

enumDef
    : ENUM identifier LBRACE enumValue* RBRACE annotations? listSeparator?
    ;

enumValue
    : identifier (EQ integer)? annotations? listSeparator?
    ;

senumDef
    : SENUM identifier LBRACE (LITERAL listSeparator?)* RBRACE annotations? listSeparator?
    ;

structDef
    : STRUCT identifier XSD_ALL? LBRACE field* RBRACE annotations? listSeparator?
    ;

unionDef
    : UNION identifier XSD_ALL? LBRACE field* RBRACE annotations? listSeparator?
    ;

exceptionDef
    : EXCEPTION identifier LBRACE field* RBRACE annotations? listSeparator?
    ;

serviceDef
    : SERVICE identifier (EXTENDS identifier)? LBRACE function* RBRACE annotations? listSeparator?
    ;

field
    : fieldId? fieldReq? fieldType AMP? identifier (EQ constValue)? xsdFieldOptions annotations? listSeparator?
    ;

fieldId
    : integer COLON
    ;

fieldReq
    : REQUIRED
    | OPTIONAL
    ;

xsdFieldOptions
    : XSD_OPTIONAL? XSD_NILLABLE? (XSD_ATTRS LBRACE field* RBRACE)?
    ;

function
    : ONEWAY? functionType identifier LPAREN field* RPAREN throwsList? annotations? listSeparator?
    ;

functionType
    : VOID
    | fieldType
    ;

throwsList
    : THROWS LPAREN field* RPAREN
    ;

fieldType
    : (baseType | containerType | identifier) annotations?
    ;

baseType
    : BOOL | BYTE | I8 | I16 | I32 | I64 | DOUBLE | STRING | BINARY | UUID | SLIST
    ;

containerType
    : MAP cppType? LT fieldType COMMA fieldType GT     # mapType
    | SET cppType? LT fieldType GT                     # setType
    | LIST LT fieldType GT cppType?                    # listType
    ;

cppType
    : CPP_TYPE LITERAL
    ;

constValue
    : integer                                                   # intConst
    | DOUBLE_LITERAL                                            # doubleConst
    | LITERAL                                                   # stringConst
    | (TRUE | FALSE)                                            # boolConst
    | identifier                                                # refConst
    | LBRACKET (constValue listSeparator?)* RBRACKET            # listConst
    | LBRACE (constValue COLON constValue listSeparator?)* RBRACE # mapConst
    ;

integer
    : INT_LITERAL
    | HEX_LITERAL
    ;

annotations
    : LPAREN (annotation listSeparator?)* RPAREN
    ;

annotation
    : identifier (EQ LITERAL)?
    ;

listSeparator
    : COMMA
    | SEMI
    ;

// Thrift keywords are reserved in `thrift`, but real IDL (and thriftgo, and newer Apache Thrift)
// uses many of them as names: `1: i8 i8`, `2: string namespace`, `2: bool required`.
identifier
    : IDENTIFIER
    | INCLUDE | CPP_INCLUDE | NAMESPACE | CONST | TYPEDEF | ENUM | SENUM | STRUCT | UNION | EXCEPTION
    | SERVICE | EXTENDS | ONEWAY | VOID | THROWS | REQUIRED | OPTIONAL | MAP | SET | LIST | CPP_TYPE
    | BOOL | BYTE | I8 | I16 | I32 | I64 | DOUBLE | STRING | BINARY | UUID | SLIST
    | XSD_ALL | XSD_OPTIONAL | XSD_NILLABLE | XSD_ATTRS | LEGACY_NAMESPACE | XSD_NAMESPACE
    | SMALLTALK_CATEGORY | SMALLTALK_PREFIX
    ;

// ---------------------------------------------------------------- lexer

INCLUDE : 'include' ;
CPP_INCLUDE : 'cpp_include' ;
NAMESPACE : 'namespace' ;
LEGACY_NAMESPACE
    : 'cpp_namespace' | 'php_namespace' | 'py_module' | 'perl_package' | 'ruby_namespace'
    | 'java_package' | 'cocoa_prefix' | 'csharp_namespace' | 'delphi_namespace'
    ;
XSD_NAMESPACE : 'xsd_namespace' ;
SMALLTALK_CATEGORY : 'smalltalk.category' ;
SMALLTALK_PREFIX : 'smalltalk.prefix' ;
CONST : 'const' ;
TYPEDEF : 'typedef' ;
ENUM : 'enum' ;
SENUM : 'senum' ;
STRUCT : 'struct' ;
UNION : 'union' ;
EXCEPTION : 'exception' ;
SERVICE : 'service' ;
EXTENDS : 'extends' ;
ONEWAY : 'oneway' ;
VOID : 'void' ;
THROWS : 'throws' ;
REQUIRED : 'required' ;
OPTIONAL : 'optional' ;
TRUE : 'true' ;
FALSE : 'false' ;
MAP : 'map' ;
SET : 'set' ;
LIST : 'list' ;
CPP_TYPE : 'cpp_type' ;
BOOL : 'bool' ;
BYTE : 'byte' ;
I8 : 'i8' ;
I16 : 'i16' ;
I32 : 'i32' ;
I64 : 'i64' ;
DOUBLE : 'double' ;
STRING : 'string' ;
BINARY : 'binary' ;
UUID : 'uuid' ;
SLIST : 'slist' ;
XSD_ALL : 'xsd_all' ;
XSD_OPTIONAL : 'xsd_optional' ;
XSD_NILLABLE : 'xsd_nillable' ;
XSD_ATTRS : 'xsd_attrs' ;

LBRACE : '{' ;
RBRACE : '}' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
LPAREN : '(' ;
RPAREN : ')' ;
LT : '<' ;
GT : '>' ;
EQ : '=' ;
COLON : ':' ;
COMMA : ',' ;
SEMI : ';' ;
STAR : '*' ;
AMP : '&' ;
MINUS : '-' ;

HEX_LITERAL : [+-]? '0x' [0-9a-fA-F]+ ;
DOUBLE_LITERAL
    : [+-]? [0-9]* '.' [0-9]+ EXPONENT?
    | [+-]? [0-9]+ EXPONENT
    ;
INT_LITERAL : [+-]? [0-9]+ ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;

// Escapes are checked by the syntax-tree builder so a bad one gets a precise message.
LITERAL
    : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"'
    | '\'' (~['\\\r\n] | '\\' ~[\r\n])* '\''
    ;
UNTERMINATED_LITERAL
    : '"' (~["\\\r\n] | '\\' ~[\r\n])*
    | '\'' (~['\\\r\n] | '\\' ~[\r\n])*
    ;

IDENTIFIER : [a-zA-Z_] [a-zA-Z_0-9]* ('.' [a-zA-Z_0-9]+)* ;

DOC_COMMENT : '/**' ~'/' .*? '*/' -> channel(2) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
// Only matches when no '*/' follows (a terminated comment can never match it).
UNTERMINATED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF ;
LINE_COMMENT : ('//' | '#') ~[\r\n]* -> channel(HIDDEN) ;
WS : [ \t\r\n\u000C\uFEFF]+ -> channel(HIDDEN) ;

// Anything else is one bad character; the parser front end reports it and drops it.
ERROR_CHAR : . ;
