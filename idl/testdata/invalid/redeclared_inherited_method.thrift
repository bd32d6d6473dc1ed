# expect: SX2016 at 8
# A method that redeclares one of its base service.
service Base {
    void ping()
}

service Derived extends Base {
    void ping()
}
